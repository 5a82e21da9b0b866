package dev.perennial.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perennial.core.plugins.Plugins;
import dev.perennial.workflows.TaskQueues;
import dev.perennial.workflows.pipeline.ContinuousTrainingResult;
import dev.perennial.workflows.pipeline.Outcome;
import dev.perennial.workflows.pipeline.PerennialPipeline;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Pipelines whose jar is only in the plug-in directory: compiled from source here, so the test's
 * own class loader cannot see them.
 */
class PluginDirectoryTest {
  private static final String NIGHTLY =
      """
      package com.example.nightly;

      import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
      import dev.perennial.workflows.pipeline.ContinuousTrainingResult;
      import dev.perennial.workflows.pipeline.PerennialPipeline;
      import io.temporal.workflow.WorkflowInterface;
      import io.temporal.workflow.WorkflowMethod;

      @WorkflowInterface
      public interface NightlyBaseline extends PerennialPipeline {
        @WorkflowMethod(name = "NightlyBaseline")
        ContinuousTrainingResult run(ContinuousTrainingRequest request);
      }
      """;
  private static final String NIGHTLY_IMPL =
      """
      package com.example.nightly;

      import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
      import dev.perennial.workflows.pipeline.ContinuousTrainingResult;
      import dev.perennial.workflows.pipeline.Outcome;
      import dev.perennial.workflows.pipeline.PipelineWorkflow;

      public class NightlyBaselineImpl extends PipelineWorkflow implements NightlyBaseline {
        @Override
        public ContinuousTrainingResult run(ContinuousTrainingRequest request) {
          return pipeline.execute(
              request, r -> pipeline.finish(Outcome.REJECTED, Greeting.of(r.model())));
        }
      }
      """;

  /** A class of the plug-in's own, so running the pipeline resolves through the plug-in jar. */
  private static final String GREETING =
      """
      package com.example.nightly;

      final class Greeting {
        static String of(String model) {
          return "hello from the plug-in directory, " + model;
        }
      }
      """;

  /** Declared as a pipeline but no workflow: PerennialPipeline has no workflow method. */
  private static final String NOT_A_WORKFLOW =
      """
      package com.example.broken;

      import dev.perennial.workflows.pipeline.PerennialPipeline;
      import dev.perennial.workflows.pipeline.PipelineStatus;

      public class NotAWorkflow implements PerennialPipeline {
        @Override
        public PipelineStatus status() {
          return null;
        }

        @Override
        public void abort(String reason) {}
      }
      """;

  @TempDir static Path dir;
  static TestServers servers;

  @BeforeAll
  static void startServers() throws Exception {
    servers = new TestServers(dir);
  }

  @AfterAll
  static void stopServers() throws Exception {
    servers.close();
  }

  @Test
  void aPipelineInThePluginDirectoryIsFoundAndRuns() throws Exception {
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    Path jar =
        pluginJar(
            plugins.resolve("nightly.jar"),
            "com.example.nightly.NightlyBaselineImpl",
            NIGHTLY,
            NIGHTLY_IMPL,
            GREETING);
    assertThatThrownBy(() -> Class.forName("com.example.nightly.NightlyBaselineImpl"))
        .as("the pipeline is only in the plug-in jar")
        .isInstanceOf(ClassNotFoundException.class);

    Map<String, Object> props = servers.workerProperties();
    props.put("perennial.plugins", plugins);
    try (ConfigurableApplicationContext worker = WorkerApplication.start(props)) {
      Plugins loaded = worker.getBean(Plugins.class);
      assertThat(loaded.jars()).containsExactly(jar);
      assertThat(worker.getBeanFactory().getBeanClassLoader())
          .as("Spring loads classes through the plug-in class loader")
          .isSameAs(loaded.classLoader());
      assertThat(worker.getBean(PerennialWorkers.class).userPipelines())
          .extracting(PerennialWorkers.Pipeline::type, PerennialWorkers.Pipeline::source)
          .contains(org.assertj.core.groups.Tuple.tuple("NightlyBaseline", jar.toString()));

      ContinuousTrainingResult result =
          servers.run("NightlyBaseline", TaskQueues.PIPELINES, "nightly");
      assertThat(result.outcome()).isEqualTo(Outcome.REJECTED);
      assertThat(result.message()).isEqualTo("hello from the plug-in directory, nightly");
    }
  }

  @Test
  void aPluginPathThatDoesNotExistFailsStartUp() throws Exception {
    Path missing = dir.resolve("no-such-plugins");
    Map<String, Object> props = servers.workerProperties();
    props.put("perennial.plugins", missing);
    assertThatThrownBy(() -> WorkerApplication.start(props).close())
        .hasStackTraceContaining("plug-in path " + missing + " does not exist");
  }

  @Test
  void aDeclaredPipelineThatIsNoWorkflowFailsStartUpNamingItsJar() throws Exception {
    Path plugins = Files.createDirectories(dir.resolve("broken-plugins"));
    Path jar =
        pluginJar(plugins.resolve("broken.jar"), "com.example.broken.NotAWorkflow", NOT_A_WORKFLOW);
    Map<String, Object> props = servers.workerProperties();
    props.put("perennial.plugins", plugins);
    assertThatThrownBy(() -> WorkerApplication.start(props).close())
        .hasStackTraceContaining(
            "pipeline com.example.broken.NotAWorkflow from "
                + jar
                + " is not a valid workflow implementation");
  }

  /** Compiles {@code sources} against the test's class path into a jar declaring {@code impl}. */
  private static Path pluginJar(Path jar, String impl, String... sources) throws IOException {
    Path classes = Files.createTempDirectory(dir, "classes");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null)) {
      files.setLocation(StandardLocation.CLASS_OUTPUT, List.of(classes.toFile()));
      List<JavaFileObject> units = new ArrayList<>();
      for (String source : sources) {
        String name =
            source
                .lines()
                .filter(l -> l.contains(" class ") || l.contains(" interface "))
                .findFirst()
                .orElseThrow()
                .replaceAll(".*(class|interface) (\\w+).*", "$2");
        units.add(
            new SimpleJavaFileObject(
                URI.create("string:///" + name + ".java"), JavaFileObject.Kind.SOURCE) {
              @Override
              public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
              }
            });
      }
      List<String> options =
          List.of("-classpath", System.getProperty("java.class.path"), "-proc:none");
      assertThat(javac.getTask(null, files, null, options, null, units).call())
          .as("plug-in sources compile")
          .isTrue();
    }
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> compiled = Files.walk(classes)) {
      for (Path file : compiled.filter(Files::isRegularFile).toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
        Files.copy(file, out);
        out.closeEntry();
      }
      out.putNextEntry(new JarEntry("META-INF/services/" + PerennialPipeline.class.getName()));
      writeLine(out, impl);
      out.closeEntry();
    }
    return jar;
  }

  private static void writeLine(OutputStream out, String line) throws IOException {
    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
  }
}
