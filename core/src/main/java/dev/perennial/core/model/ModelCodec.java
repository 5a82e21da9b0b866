package dev.perennial.core.model;

import dev.perennial.core.store.IntegrityException;
import dev.perennial.core.store.Sha256;
import dev.perennial.workflows.ObjectRef;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;

/**
 * Model bundles to bytes and back. Loading checks the bytes against their recorded SHA-256 first,
 * and deserializes only through an allowlist: our bundle classes, Smile's model classes and the JDK
 * value types they hold. Any other class in the stream is refused before it is instantiated.
 */
public final class ModelCodec {
  /**
   * Classes a model bundle may contain; everything else is rejected. Array types are matched by
   * their element type, and primitive arrays are always allowed.
   */
  static final String ALLOWLIST =
      String.join(
          ";",
          "maxdepth=64",
          "maxrefs=5000000",
          "maxbytes=2147483647",
          "maxarray=100000000",
          "dev.perennial.core.model.ModelBundle",
          "dev.perennial.core.model.FeatureEncoder",
          "dev.perennial.workflows.training.Algorithm",
          "smile.**",
          "java.lang.Enum",
          "java.lang.Number",
          "java.lang.Integer",
          "java.lang.Long",
          "java.lang.Double",
          "java.lang.Float",
          "java.lang.Boolean",
          "java.lang.String",
          "java.lang.Record",
          "java.util.ArrayList",
          "java.util.Arrays$ArrayList",
          "java.util.HashMap",
          "java.util.LinkedHashMap",
          "java.util.TreeMap",
          "java.util.BitSet",
          "java.util.Optional",
          "java.util.ImmutableCollections$*",
          "java.util.Collections$*",
          "java.util.CollSer",
          // Collections check their backing arrays (Object[], Map.Entry[]) by element type;
          // every object put into them is still checked on its own.
          "java.lang.Object",
          "java.util.Map$Entry",
          "java.lang.invoke.SerializedLambda",
          "!*");

  private static final ObjectInputFilter FILTER = ObjectInputFilter.Config.createFilter(ALLOWLIST);

  private ModelCodec() {}

  /** The allowlist, remembering what it refused so the error can name it. */
  private static final class RecordingFilter implements ObjectInputFilter {
    String rejected;

    @Override
    public Status checkInput(FilterInfo info) {
      Status status = FILTER.checkInput(info);
      if (status == Status.REJECTED && rejected == null) {
        rejected =
            info.serialClass() != null
                ? "class " + info.serialClass().getName()
                : "a graph beyond the limits (depth "
                    + info.depth()
                    + ", references "
                    + info.references()
                    + ", bytes "
                    + info.streamBytes()
                    + ")";
      }
      return status;
    }
  }

  public static byte[] serialize(ModelBundle bundle) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(bundle);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialize the model bundle", e);
    }
    return bytes.toByteArray();
  }

  /**
   * Loads a bundle from bytes read from {@code ref}.
   *
   * @throws IntegrityException when the bytes' SHA-256 differs from the reference's, or the stream
   *     holds a class outside the allowlist
   */
  public static ModelBundle deserialize(byte[] bytes, ObjectRef ref) {
    String actual = Sha256.hex(bytes);
    if (!actual.equals(ref.sha256())) {
      throw new IntegrityException(
          "model "
              + ref.uri()
              + " does not match its recorded SHA-256 (got "
              + actual
              + ", expected "
              + ref.sha256()
              + "): refusing to load it");
    }
    RecordingFilter filter = new RecordingFilter();
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      in.setObjectInputFilter(filter);
      Object o = in.readObject();
      if (!(o instanceof ModelBundle bundle)) {
        throw new IntegrityException(
            ref.uri() + " holds a " + o.getClass().getName() + ", not a model bundle");
      }
      return bundle;
    } catch (InvalidClassException e) {
      throw new IntegrityException(
          "model "
              + ref.uri()
              + " was refused by the deserialization allowlist: "
              + (filter.rejected == null ? e.getMessage() : "it contains " + filter.rejected),
          e);
    } catch (IOException | ClassNotFoundException e) {
      throw new IntegrityException("model " + ref.uri() + " cannot be read: " + e, e);
    }
  }
}
