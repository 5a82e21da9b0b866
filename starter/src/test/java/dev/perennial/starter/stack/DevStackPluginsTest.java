package dev.perennial.starter.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import dev.perennial.workflows.pipeline.ContinuousTrainingResult;
import dev.perennial.workflows.pipeline.Outcome;
import dev.perennial.workflows.pipeline.PerennialPipeline;
import dev.perennial.workflows.pipeline.PipelineWorkflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code up --plugins}: the stack's worker registers the plug-ins' pipelines and says which. */
class DevStackPluginsTest {
  /** Declared only in the plug-in jar's services file, so only the plug-in path registers it. */
  @WorkflowInterface
  public interface EchoPipeline extends PerennialPipeline {
    @WorkflowMethod(name = "EchoPipeline")
    ContinuousTrainingResult run(ContinuousTrainingRequest request);
  }

  public static class EchoPipelineImpl extends PipelineWorkflow implements EchoPipeline {
    @Override
    public ContinuousTrainingResult run(ContinuousTrainingRequest request) {
      return pipeline.execute(request, r -> pipeline.finish(Outcome.REJECTED, r.model()));
    }
  }

  @Test
  void theStacksWorkerRegistersAndPrintsThePluginsPipelines(@TempDir Path dir) throws Exception {
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    Path jar = plugins.resolve("echo.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry("META-INF/services/" + PerennialPipeline.class.getName()));
      out.write((EchoPipelineImpl.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    StringWriter log = new StringWriter();
    try (DevStack stack =
        DevStack.start(
            dir.resolve("data"),
            DevStack.Ports.free(),
            DevStack.External.NONE,
            DevStack.ServerChoice.EMBEDDED,
            true,
            plugins.toString(),
            new PrintWriter(log, true))) {
      assertThat(log.toString())
          .contains(
              "Pipelines: ContinuousTraining, CanaryRollout, Rollback, DriftMonitor, BatchScoring, DataWatch (built-in)")
          .contains("EchoPipeline (" + EchoPipelineImpl.class.getName() + ", from ");
    }
  }
}
