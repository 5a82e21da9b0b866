package dev.perennial.core.model;

import dev.perennial.core.store.IntegrityException;
import dev.perennial.core.store.Sha256;
import dev.perennial.workflows.ObjectRef;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Model bundles to bytes and back. Loading checks the bytes against their recorded SHA-256 first,
 * and deserializes only through an allowlist: our bundle classes and built-in models, Smile's model
 * classes, the JDK value types they hold, and the classes the trainers found declare for their
 * models ({@link dev.perennial.core.training.Trainer#modelClasses()}). Any other class in the
 * stream is refused before it is instantiated. Classes are looked up through the plug-ins' class
 * loader, so a user trainer's model loads wherever its jar is.
 *
 * <p>Get one from {@link dev.perennial.core.training.Trainers#codec()}.
 */
public final class ModelCodec {
  /**
   * Classes any model bundle may contain. Array types are matched by their element type, and
   * primitive arrays are always allowed.
   */
  static final List<String> BASE =
      List.of(
          "dev.perennial.core.model.ModelBundle",
          "dev.perennial.core.model.FeatureEncoder",
          "dev.perennial.core.training.builtin.SmileModel",
          // Bundles written before trainers were plug-ins, read into their successors.
          "dev.perennial.core.model.legacy.ModelBundle",
          "dev.perennial.core.model.legacy.Algorithm",
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
          "java.lang.invoke.SerializedLambda");

  private static final List<String> LIMITS =
      List.of("maxdepth=64", "maxrefs=5000000", "maxbytes=2147483647", "maxarray=100000000");

  private final String allowlist;
  private final ObjectInputFilter filter;
  private final ClassLoader classLoader;

  /**
   * The base allowlist widened by {@code modelClasses}, already checked by {@link
   * dev.perennial.core.training.Trainers}; classes resolved through {@code classLoader}.
   */
  public ModelCodec(List<String> modelClasses, ClassLoader classLoader) {
    List<String> patterns = new ArrayList<>(LIMITS);
    patterns.addAll(BASE);
    patterns.addAll(modelClasses);
    patterns.add("!*");
    this.allowlist = String.join(";", patterns);
    this.filter = ObjectInputFilter.Config.createFilter(allowlist);
    this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
  }

  /** The filter pattern in force, as {@link ObjectInputFilter.Config#createFilter} takes it. */
  public String allowlist() {
    return allowlist;
  }

  /** The allowlist, remembering what it refused so the error can name it. */
  private final class RecordingFilter implements ObjectInputFilter {
    String rejected;

    @Override
    public Status checkInput(FilterInfo info) {
      Status status = filter.checkInput(info);
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

  /** Finds classes through the plug-ins' loader; the filter still decides what is admitted. */
  private static final class PluginObjectInputStream extends ObjectInputStream {
    private final ClassLoader loader;

    PluginObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
      super(in);
      this.loader = loader;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc)
        throws IOException, ClassNotFoundException {
      String name = desc.getName();
      if (name.equals(dev.perennial.core.model.legacy.ModelBundle.STORED_NAME)
          && desc.getSerialVersionUID() == 1L) {
        return dev.perennial.core.model.legacy.ModelBundle.class;
      }
      if (name.equals(dev.perennial.core.model.legacy.Algorithm.STORED_NAME)) {
        return dev.perennial.core.model.legacy.Algorithm.class;
      }
      try {
        return Class.forName(name, false, loader);
      } catch (ClassNotFoundException e) {
        return super.resolveClass(desc); // primitive types
      }
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
   *     holds a class outside the allowlist, or one that no jar here provides
   */
  public ModelBundle deserialize(byte[] bytes, ObjectRef ref) {
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
    RecordingFilter recording = new RecordingFilter();
    try (ObjectInputStream in =
        new PluginObjectInputStream(new ByteArrayInputStream(bytes), classLoader)) {
      in.setObjectInputFilter(recording);
      Object o = in.readObject();
      if (!(o instanceof ModelBundle bundle)) {
        throw new IntegrityException(
            ref.uri() + " holds a " + o.getClass().getName() + ", not a model bundle");
      }
      return bundle;
    } catch (InvalidClassException e) {
      if (recording.rejected == null) {
        throw new IntegrityException(
            "model " + ref.uri() + " cannot be read by this version (" + e.getMessage() + ")", e);
      }
      throw new IntegrityException(
          "model "
              + ref.uri()
              + " was refused by the deserialization allowlist: it contains "
              + recording.rejected,
          e);
    } catch (ClassNotFoundException e) {
      throw new IntegrityException(
          "model "
              + ref.uri()
              + " needs class "
              + e.getMessage()
              + ", which no jar here provides (is its trainer's jar on the class path or in "
              + "PERENNIAL_PLUGINS?)",
          e);
    } catch (IOException e) {
      throw new IntegrityException("model " + ref.uri() + " cannot be read: " + e, e);
    }
  }
}
