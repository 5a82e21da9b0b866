package dev.perennial.xgboost;

import java.util.Locale;
import java.util.Optional;

/**
 * Whether XGBoost's native library loads here. XGBoost4J unpacks and loads it when its JNI class is
 * first initialised, and on a platform it has no build for that fails for good; the answer is found
 * once, so the failure is reported as one clear sentence each time instead of a bare {@code
 * NoClassDefFoundError} from the second use on.
 */
final class NativeXGBoost {
  private static final String JNI = "ml.dmlc.xgboost4j.java.XGBoostJNI";

  private static final class Holder {
    static final Optional<String> PROBLEM = probe();
  }

  private NativeXGBoost() {}

  /** Why the native library cannot be used here, or empty when it loaded. */
  static Optional<String> problem() {
    return Holder.PROBLEM;
  }

  /** The sentence a run or a server gets when the library cannot load. */
  static String unavailable(String why) {
    return "the xgboost trainer needs XGBoost's native library, which cannot load on "
        + platform()
        + " ("
        + why
        + "): train with one of Smile's trainers, such as GRADIENT_BOOSTING, instead";
  }

  static String platform() {
    return System.getProperty("os.name", "?")
        + "/"
        + System.getProperty("os.arch", "?").toLowerCase(Locale.ROOT);
  }

  private static Optional<String> probe() {
    try {
      Class.forName(JNI, true, NativeXGBoost.class.getClassLoader());
      return Optional.empty();
    } catch (ClassNotFoundException e) {
      return Optional.of("XGBoost4J is not on the class path");
    } catch (LinkageError | RuntimeException e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      return Optional.of(root.getClass().getSimpleName() + ": " + root.getMessage());
    }
  }
}
