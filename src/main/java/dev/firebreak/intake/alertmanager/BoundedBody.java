package dev.firebreak.intake.alertmanager;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * A request body read with bounded memory and time, whatever the sender does. It counts the body (more than
 * {@code maxBytes} is {@link TooLarge}), gives up once reading takes longer than {@code deadline} in all ({@link
 * TooSlow}), and cuts every JSON string longer than {@code maxStringBytes} at a character boundary as the bytes pass,
 * marking the cut with "…": the JSON parser behind it never has to hold a long string, however long the sender made
 * it. It tracks only whether it is inside a string and inside an escape, so the document stays well formed.
 */
final class BoundedBody extends FilterInputStream {
    private static final byte[] MARK = "…".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    /** The body is longer than allowed. */
    static final class TooLarge extends IOException {
        TooLarge(long limit) {
            super("body larger than " + limit + " bytes");
        }
    }

    /** The sender took longer than allowed to send the body. */
    static final class TooSlow extends IOException {
        TooSlow(Duration deadline) {
            super("body not received within " + deadline);
        }
    }

    private final long maxBytes;
    private final int maxStringBytes;
    private final Clock clock;
    private final Instant deadline;
    private final Duration allowed;
    private long read;
    private boolean inString;
    private boolean escaped;
    /** Hex digits still to come of a \\uXXXX escape. */
    private int hexLeft;

    private int stringBytes;
    private boolean dropping;
    /** What was read and kept but not yet handed out. */
    private byte[] buffer = new byte[8192 + MARK.length];

    private int bufferLength;
    private int bufferAt;
    private final byte[] chunk = new byte[8192];

    BoundedBody(InputStream in, long maxBytes, int maxStringBytes, Duration deadline, Clock clock) {
        super(in);
        this.maxBytes = maxBytes;
        this.maxStringBytes = maxStringBytes;
        this.clock = clock;
        this.allowed = deadline;
        this.deadline = clock.instant().plus(deadline);
    }

    /** How many bytes of the body were read. */
    long bytesRead() {
        return read;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (bufferAt == bufferLength) {
            if (!fill()) {
                return -1;
            }
        }
        int n = Math.min(len, bufferLength - bufferAt);
        System.arraycopy(buffer, bufferAt, b, off, n);
        bufferAt += n;
        return n;
    }

    @Override
    public int available() {
        return bufferLength - bufferAt;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Reads the next chunk and keeps what passes; false at the end of the body. */
    private boolean fill() throws IOException {
        if (clock.instant().isAfter(deadline)) {
            throw new TooSlow(allowed);
        }
        int n = in.read(chunk, 0, chunk.length);
        if (n < 0) {
            return false;
        }
        read += n;
        if (read > maxBytes) {
            throw new TooLarge(maxBytes);
        }
        bufferAt = 0;
        bufferLength = 0;
        for (int i = 0; i < n; i++) {
            byte c = chunk[i];
            if (keep(c)) {
                emit(c);
            }
        }
        return true;
    }

    private void emit(byte c) {
        if (bufferLength == buffer.length) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        buffer[bufferLength++] = c;
    }

    /** Advances the state by one byte; false when the byte is dropped (a long string past its cut). */
    private boolean keep(byte c) {
        if (!inString) {
            if (c == '"') {
                inString = true;
                stringBytes = 0;
                dropping = false;
            }
            return true;
        }
        if (hexLeft > 0) {
            hexLeft--;
            return !dropping;
        }
        if (escaped) {
            escaped = false;
            if (c == 'u') {
                hexLeft = 4;
            }
            return !dropping;
        }
        if (c == '\\') {
            if (!dropping && stringBytes >= maxStringBytes) {
                startDropping();
            }
            escaped = true;
            stringBytes++;
            return !dropping;
        }
        if (c == '"') {
            inString = false;
            return true;
        }
        boolean continuation = (c & 0xC0) == 0x80;
        if (!dropping && !continuation && stringBytes >= maxStringBytes) {
            startDropping();
        }
        stringBytes++;
        return !dropping;
    }

    private void startDropping() {
        dropping = true;
        for (byte m : MARK) {
            emit(m);
        }
    }
}
