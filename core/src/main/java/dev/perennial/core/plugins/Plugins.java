package dev.perennial.core.plugins;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * Jars of users' pipelines and trainers that the stock worker and model server load at start-up,
 * from the directories or jar files in {@code PERENNIAL_PLUGINS} (or the {@code perennial.plugins}
 * property), separated like a class path. They get one class loader, a child of the application's,
 * and their contributions are found with {@link ServiceLoader}: a jar lists its pipelines in {@code
 * META-INF/services/dev.perennial.workflows.pipeline.PerennialPipeline} and its trainers in {@code
 * META-INF/services/dev.perennial.core.training.Trainer}. Classes on the application's own class
 * path are found the same way, so a project that puts its jar on the class path needs no plug-in
 * directory.
 */
public final class Plugins {
  /** The environment variable naming the plug-in directories or jars. */
  public static final String ENV = "PERENNIAL_PLUGINS";

  private static final Plugins NONE = new Plugins(List.of(), Plugins.class.getClassLoader());

  private final List<Path> jars;
  private final ClassLoader classLoader;

  private Plugins(List<Path> jars, ClassLoader classLoader) {
    this.jars = List.copyOf(jars);
    this.classLoader = classLoader;
  }

  /** No plug-ins: only what the application's class path holds. */
  public static Plugins none() {
    return NONE;
  }

  /**
   * The jars in {@code pathList}: entries separated by {@link File#pathSeparator}, each a jar file
   * or a directory whose {@code *.jar} files are taken (not its subdirectories). Null or blank
   * gives {@link #none()}.
   *
   * @throws IllegalArgumentException naming an entry that does not exist or is not a jar
   */
  public static Plugins load(String pathList) {
    if (pathList == null || pathList.isBlank()) {
      return NONE;
    }
    List<Path> jars = new ArrayList<>();
    for (String entry : pathList.split(File.pathSeparator)) {
      if (entry.isBlank()) {
        continue;
      }
      Path path = Path.of(entry.strip()).toAbsolutePath().normalize();
      if (Files.isDirectory(path)) {
        try (Stream<Path> files = Files.list(path)) {
          files.filter(Plugins::isJar).sorted().forEach(jars::add);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot list plug-in directory " + path, e);
        }
      } else if (isJar(path)) {
        jars.add(path);
      } else {
        throw new IllegalArgumentException(
            "plug-in path "
                + path
                + (Files.exists(path) ? " is not a jar file or a directory" : " does not exist")
                + " (from "
                + ENV
                + " or perennial.plugins)");
      }
    }
    if (jars.isEmpty()) {
      return new Plugins(List.of(), NONE.classLoader);
    }
    URL[] urls = new URL[jars.size()];
    for (int i = 0; i < urls.length; i++) {
      try {
        urls[i] = jars.get(i).toUri().toURL();
      } catch (MalformedURLException e) {
        throw new IllegalArgumentException("plug-in jar " + jars.get(i) + ": " + e.getMessage(), e);
      }
    }
    return new Plugins(
        jars, new URLClassLoader("perennial-plugins", urls, Plugins.class.getClassLoader()));
  }

  /** The jars loaded, in load order; empty for {@link #none()}. */
  public List<Path> jars() {
    return jars;
  }

  /** Loads the plug-ins' classes (and, through its parent, the application's). */
  public ClassLoader classLoader() {
    return classLoader;
  }

  /** An instance of every provider of {@code service} on the class path and in the plug-ins. */
  public <T> List<T> services(Class<T> service) {
    List<T> found = new ArrayList<>();
    ServiceLoader.load(service, classLoader).forEach(found::add);
    return found;
  }

  /**
   * The provider classes of {@code service}, not instantiated: for classes someone else creates,
   * such as workflow implementations, which Temporal instantiates per run.
   */
  public <T> List<Class<? extends T>> types(Class<T> service) {
    return ServiceLoader.load(service, classLoader).stream()
        .<Class<? extends T>>map(ServiceLoader.Provider::type)
        .toList();
  }

  @Override
  public String toString() {
    return jars.isEmpty() ? "no plug-ins" : "plug-ins " + jars;
  }

  private static boolean isJar(Path p) {
    return Files.isRegularFile(p) && p.getFileName().toString().endsWith(".jar");
  }
}
