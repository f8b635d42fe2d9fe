package dev.firebreak.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LaneTest {
    private static final Instant T = Instant.parse("2026-12-02T01:00:00Z");

    record Item(Dispatcher.Key key, Object kind) implements Lane.Item {}

    private static Item trigger(int i) {
        return new Item(new Dispatcher.Key("uid-" + i, 0), "Trigger");
    }

    private static List<Integer> ids(List<Item> batch) {
        return batch.stream()
                .map(i -> Integer.parseInt(i.key().incidentUid().substring(4)))
                .toList();
    }

    @Test
    void anUnpacedDestinationGetsOneNotificationPerDeliveryAndAtMostItsShareOfThreads() {
        Lane<Item> lane = new Lane<>(Duration.ZERO, 2);
        for (int i = 0; i < 4; i++) {
            lane.add(trigger(i));
        }
        assertThat(ids(lane.take(T))).containsExactly(0);
        assertThat(ids(lane.take(T))).containsExactly(1);
        assertThat(lane.take(T))
                .as("two in flight: the other destinations keep their threads")
                .isEmpty();
        assertThat(lane.due(T))
                .as("a finishing delivery takes the next, no timer")
                .isEmpty();
        lane.done(Attempt.sent(Optional.empty()), T);
        assertThat(ids(lane.take(T))).containsExactly(2);
    }

    @Test
    void aPacedDestinationGetsOneDeliveryAPaceCarryingEverythingOfTheKindWaiting() {
        Lane<Item> lane = new Lane<>(Duration.ofSeconds(1), 4);
        lane.add(trigger(0));
        lane.add(new Item(new Dispatcher.Key("uid-1", 1), "Resolve"));
        lane.add(trigger(2));
        lane.add(trigger(3));
        assertThat(ids(lane.take(T))).as("a digest of the triggers waiting").containsExactly(0, 2, 3);
        lane.done(Attempt.sent(Optional.empty()), T.plusMillis(100));
        assertThat(lane.take(T.plusMillis(500)))
                .as("not before the pace allows")
                .isEmpty();
        assertThat(lane.due(T.plusMillis(500))).contains(T.plusSeconds(1));
        assertThat(ids(lane.take(T.plusSeconds(1))))
                .as("the resolve, on its own")
                .containsExactly(1);
    }

    @Test
    void aDigestCarriesAtMostItsLimitAndTheRestGoesAPaceLater() {
        Lane<Item> lane = new Lane<>(Duration.ofSeconds(1), 1);
        for (int i = 0; i < Lane.DIGEST_MAX + 3; i++) {
            lane.add(trigger(i));
        }
        assertThat(lane.take(T)).hasSize(Lane.DIGEST_MAX);
        lane.done(Attempt.sent(Optional.empty()), T);
        assertThat(lane.take(T.plusSeconds(1))).hasSize(3);
    }

    @Test
    void a429TeachesTheDestinationsPaceForAMinute() {
        Lane<Item> lane = new Lane<>(Duration.ZERO, 4);
        for (int i = 0; i < 10; i++) {
            lane.add(trigger(i));
        }
        assertThat(ids(lane.take(T))).containsExactly(0);
        assertThat(ids(lane.take(T))).containsExactly(1);
        lane.done(Attempt.sent(Optional.empty()), T);
        lane.done(Attempt.rateLimited("HTTP 429", Optional.of(Duration.ofSeconds(2))), T);
        assertThat(lane.pace(T)).isEqualTo(Duration.ofSeconds(2));
        assertThat(lane.take(T.plusSeconds(1))).as("waits the Retry-After").isEmpty();
        assertThat(ids(lane.take(T.plusSeconds(2))))
                .as("then all that waits, in one")
                .containsExactly(2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(lane.pace(T.plus(Lane.LEARNED_FOR)))
                .as("forgotten after a minute")
                .isZero();
    }

    @Test
    void a429WithoutRetryAfterWaitsASecondAndAnAbsurdOneIsTakenAsSaid() {
        Lane<Item> lane = new Lane<>(Duration.ZERO, 1);
        lane.add(trigger(0));
        lane.take(T);
        lane.done(Attempt.rateLimited("HTTP 429", Optional.empty()), T);
        assertThat(lane.pace(T)).isEqualTo(Lane.LEARNED_MIN);
        lane.add(trigger(1));
        assertThat(lane.take(T.plus(Lane.LEARNED_MIN))).hasSize(1);
        lane.done(Attempt.rateLimited("HTTP 429", Optional.of(Duration.ofMillis(1))), T.plus(Lane.LEARNED_MIN));
        assertThat(lane.pace(T.plus(Lane.LEARNED_MIN))).isEqualTo(Lane.LEARNED_MIN);
    }
}
