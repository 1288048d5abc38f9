package javaland.models.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

/**
 * A model kept in the registry: opaque bytes (a Tribuo protobuf, a weight vector) with a name and
 * where they came from, so a policy version's provenance can point at "artifact 4" ({@link
 * ArtifactRef}) and the artifact at the traces and the commit it was made from ({@link Lineage}).
 *
 * @param id numbered from 1, never reused
 * @param name what the saver calls it ("reward-model", "linucb-arms")
 * @param bytes size of the data
 * @param sha256 hex digest of the data, checked on every read
 * @param provenance who made it, when, why, with which figures
 * @param lineage the data, grid and build it was trained from; null for an artifact saved without
 *     one (every artifact before lineages were kept): left out of the JSON then
 */
@JsonDeserialize(using = ModelArtifact.Reader.class)
public record ModelArtifact(long id, String name, long bytes, String sha256, Provenance provenance,
    @JsonInclude(JsonInclude.Include.NON_NULL) Lineage lineage) {

  /** Without a lineage. */
  public ModelArtifact(long id, String name, long bytes, String sha256, Provenance provenance) {
    this(id, name, bytes, sha256, provenance, null);
  }

  /** The fields every artifact's metadata has had since the first release. */
  record Before(long id, String name, long bytes, String sha256, Provenance provenance) {}

  /** Reads metadata written before {@code lineage} existed (see {@link AddedField}). */
  static final class Reader extends AddedField<ModelArtifact, Before, Lineage> {
    Reader() {
      super(ModelArtifact.class, Before.class, "lineage", Lineage.class);
    }

    @Override
    ModelArtifact combine(Before b, Lineage l) {
      return new ModelArtifact(b.id(), b.name(), b.bytes(), b.sha256(), b.provenance(), l);
    }
  }
}
