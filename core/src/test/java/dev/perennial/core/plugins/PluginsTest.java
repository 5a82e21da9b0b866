package dev.perennial.core.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginsTest {
  @TempDir Path dir;

  /** A jar declaring {@code provider} as a {@link Supplier} service, with the class inside it. */
  private Path jarWith(String name, Class<?> provider) throws IOException {
    Path jar = dir.resolve(name);
    String resource = provider.getName().replace('.', '/') + ".class";
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file)) {
      out.putNextEntry(new JarEntry("META-INF/services/" + Supplier.class.getName()));
      out.write((provider.getName() + "\n").getBytes(StandardCharsets.UTF_8));
      out.putNextEntry(new JarEntry(resource));
      try (var in = provider.getClassLoader().getResourceAsStream(resource)) {
        in.transferTo(out);
      }
    }
    return jar;
  }

  /** A provider the test's jar declares. */
  public static final class Greeting implements Supplier<String> {
    @Override
    public String get() {
      return "hello";
    }
  }

  @Test
  void findsTheServicesOfEveryJarInADirectory() throws IOException {
    jarWith("greeting.jar", Greeting.class);
    Files.writeString(dir.resolve("notes.txt"), "not a jar");
    Plugins plugins = Plugins.load(dir.toString());
    assertThat(plugins.jars()).containsExactly(dir.resolve("greeting.jar"));
    assertThat(plugins.types(Supplier.class))
        .extracting(Class::getName)
        .containsExactly(Greeting.class.getName());
    assertThat(plugins.services(Supplier.class)).extracting(Supplier::get).containsExactly("hello");
  }

  @Test
  void withoutPluginsOnlyTheClassPathIsSearched() {
    assertThat(Plugins.load(" ")).isSameAs(Plugins.none());
    assertThat(Plugins.none().types(Supplier.class)).isEmpty();
  }

  @Test
  void aPathThatIsNeitherAJarNorADirectoryIsRefusedByName() throws IOException {
    Path missing = dir.resolve("nowhere");
    assertThatThrownBy(() -> Plugins.load(missing.toString()))
        .hasMessageContaining(missing + " does not exist");
    Path text = Files.writeString(dir.resolve("a.txt"), "x");
    assertThatThrownBy(() -> Plugins.load(text.toString()))
        .hasMessageContaining("is not a jar file or a directory");
  }
}
