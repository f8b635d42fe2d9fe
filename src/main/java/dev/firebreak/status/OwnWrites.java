package dev.firebreak.status;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The resourceVersions of the status writes this process made, per object UID, until the informer delivers them: so
 * that a reconciler can tell its own write's update event (which needs no reconcile: the reconcile that wrote it
 * already decided from it) from anyone else's. Bounded; an entry is forgotten once its event arrived.
 */
public final class OwnWrites {
    private static final int KEPT = 20_000;
    private static final Map<String, String> WRITTEN =
            Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                    return size() > KEPT;
                }
            });

    private OwnWrites() {}

    /** A status write of this process, as the API server answered it. */
    public static void wrote(HasMetadata written) {
        if (written != null
                && written.getMetadata() != null
                && written.getMetadata().getUid() != null) {
            WRITTEN.put(written.getMetadata().getUid(), written.getMetadata().getResourceVersion());
        }
    }

    /** Whether this version of the object is one this process wrote (and forgets it). */
    public static boolean isOwn(HasMetadata updated) {
        String uid = updated.getMetadata().getUid();
        String version = updated.getMetadata().getResourceVersion();
        return uid != null && version != null && WRITTEN.remove(uid, version);
    }
}
