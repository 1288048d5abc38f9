package javaland.models.registry;

/**
 * A model kept in the registry: opaque bytes (a Tribuo protobuf, a weight vector) with a name and
 * where they came from, so a policy version's provenance can point at "artifact 4".
 *
 * @param id numbered from 1, never reused
 * @param name what the saver calls it ("reward-model", "linucb-arms")
 * @param bytes size of the data
 * @param sha256 hex digest of the data, checked on every read
 */
public record ModelArtifact(long id, String name, long bytes, String sha256, Provenance provenance) {}
