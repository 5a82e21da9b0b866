package dev.perennial.worker;

import dev.perennial.core.plugins.Plugins;
import dev.perennial.workflows.TaskQueues;
import dev.perennial.workflows.WorkflowImplementations;
import dev.perennial.workflows.canary.CanaryRolloutWorkflowImpl;
import dev.perennial.workflows.drift.DriftMonitorWorkflowImpl;
import dev.perennial.workflows.pipeline.ContinuousTrainingWorkflowImpl;
import dev.perennial.workflows.pipeline.PerennialPipeline;
import dev.perennial.workflows.rollback.RollbackWorkflowImpl;
import dev.perennial.workflows.scoring.BatchScoringWorkflowImpl;
import dev.perennial.workflows.watch.DataWatchWorkflowImpl;
import io.temporal.common.metadata.POJOWorkflowImplMetadata;
import io.temporal.common.metadata.POJOWorkflowMethodMetadata;
import io.temporal.spring.boot.autoconfigure.template.WorkersTemplate;
import io.temporal.worker.TypeAlreadyRegisteredException;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Perennial's two workers and what runs on them: on {@link TaskQueues#PIPELINES} the built-in
 * workflows, every pipeline {@link Plugins} finds (class path and plug-in jars, declared in {@code
 * META-INF/services/dev.perennial.workflows.pipeline.PerennialPipeline}) and the light activities;
 * on {@link TaskQueues#TRAINING} the training activities, at most {@code
 * perennial.training-concurrency} at once. A worker polls only the queues {@code
 * perennial.task-queues} names, so each can be scaled in processes of its own.
 *
 * <p>Workers the Temporal starter already made for these queues (from {@code
 * spring.temporal.workers} or auto-discovered {@code @WorkflowImpl} classes) are used as they are;
 * a class registered there already is left alone.
 */
public final class PerennialWorkers {
  private static final Logger log = LoggerFactory.getLogger(PerennialWorkers.class);
  private static final String SERVICES = "META-INF/services/" + PerennialPipeline.class.getName();

  static final List<Class<?>> BUILT_IN =
      List.of(
          ContinuousTrainingWorkflowImpl.class,
          CanaryRolloutWorkflowImpl.class,
          RollbackWorkflowImpl.class,
          DriftMonitorWorkflowImpl.class,
          BatchScoringWorkflowImpl.class,
          DataWatchWorkflowImpl.class);

  /**
   * A workflow type registered on the pipelines worker.
   *
   * @param type the workflow type, as runs are started with it
   * @param implementation the implementation class name
   * @param source where it came from: {@code built-in}, the jar or class directory it was loaded
   *     from, or {@code spring.temporal} for one the Temporal starter registered (its {@code
   *     workers} configuration or {@code @WorkflowImpl} auto-discovery)
   */
  public record Pipeline(String type, String implementation, String source) {
    /** {@code type (source)}, for a start-up line. */
    @Override
    public String toString() {
      return type + " (" + source + ")";
    }
  }

  private final List<Pipeline> pipelines;

  private PerennialWorkers(List<Pipeline> pipelines) {
    this.pipelines = List.copyOf(pipelines);
  }

  /** The workflow types on the pipelines worker, built-in ones first. */
  public List<Pipeline> pipelines() {
    return pipelines;
  }

  /** The pipelines that came from users' jars or the Temporal starter's configuration. */
  public List<Pipeline> userPipelines() {
    return pipelines.stream().filter(p -> !p.source().equals("built-in")).toList();
  }

  /**
   * Creates (or completes) the two workers of {@code template}'s factory before it starts.
   *
   * @param polls whether this process polls a task queue: a worker is created only for those
   * @param workerOptions applied to the options of a worker created here, by worker name ({@code
   *     pipelines} or {@code training}) and task queue
   */
  static PerennialWorkers register(
      WorkersTemplate template,
      Plugins plugins,
      List<Object> pipelineActivities,
      List<Object> trainingActivities,
      int trainingConcurrency,
      Predicate<String> polls,
      WorkerOptionsCustomization workerOptions) {
    // The starter's own workers first, so ours join a queue it configured instead of clashing.
    template.getWorkers();
    WorkerFactory factory = template.getWorkerFactory();
    List<Pipeline> pipelines = new ArrayList<>();
    template
        .getRegisteredInfo()
        .getOrDefault(TaskQueues.PIPELINES, new WorkersTemplate.RegisteredInfo())
        .getRegisteredWorkflowInfo()
        .forEach(
            info ->
                types(info.getImplementationClass())
                    .forEach(
                        type ->
                            pipelines.add(
                                new Pipeline(
                                    type,
                                    info.getImplementationClass().getName(),
                                    "spring.temporal"))));

    List<Pipeline> registered = new ArrayList<>(pipelines);
    if (polls.test(TaskQueues.PIPELINES)) {
      Worker pipelineWorker =
          worker(
              factory,
              TaskQueues.PIPELINES,
              "pipelines",
              b -> workerOptions.apply(b, "pipelines", TaskQueues.PIPELINES));
      for (Class<?> builtIn : BUILT_IN) {
        registerWorkflow(pipelineWorker, builtIn, "built-in", registered);
      }
      for (Class<? extends PerennialPipeline> type : pipelineTypes(plugins)) {
        String source = source(type);
        try {
          validate(type);
          registerWorkflow(pipelineWorker, type, source, registered);
        } catch (RuntimeException | LinkageError e) {
          throw new IllegalStateException(
              "pipeline "
                  + type.getName()
                  + " from "
                  + source
                  + " is not a valid workflow implementation: "
                  + e.getMessage(),
              e);
        }
      }
      registerActivities(pipelineWorker, pipelineActivities);
    } else {
      log.info("This worker does not poll {} (perennial.task-queues)", TaskQueues.PIPELINES);
    }

    if (polls.test(TaskQueues.TRAINING)) {
      Worker trainingWorker =
          worker(
              factory,
              TaskQueues.TRAINING,
              "training",
              b ->
                  workerOptions.apply(
                      b.setMaxConcurrentActivityExecutionSize(trainingConcurrency),
                      "training",
                      TaskQueues.TRAINING));
      registerActivities(trainingWorker, trainingActivities);
    } else {
      log.info("This worker does not poll {} (perennial.task-queues)", TaskQueues.TRAINING);
    }

    // Built-in ones first, then users' in the order they were found.
    registered.sort(java.util.Comparator.comparing(p -> !p.source().equals("built-in")));
    for (Pipeline p : registered) {
      log.info(
          "Pipeline worker ({}) runs {} ({} from {})",
          TaskQueues.PIPELINES,
          p.type(),
          p.implementation(),
          p.source());
    }
    return new PerennialWorkers(registered);
  }

  /** How a worker created here gets the application's {@code WorkerOptionsCustomizer}s. */
  @FunctionalInterface
  interface WorkerOptionsCustomization {
    WorkerOptions.Builder apply(WorkerOptions.Builder builder, String workerName, String taskQueue);
  }

  private static Worker worker(
      WorkerFactory factory,
      String taskQueue,
      String name,
      UnaryOperator<WorkerOptions.Builder> options) {
    Worker existing = factory.tryGetWorker(taskQueue);
    if (existing != null) {
      log.info("Using the configured worker on {} for Perennial's {} worker", taskQueue, name);
      return existing;
    }
    return factory.newWorker(taskQueue, options.apply(WorkerOptions.newBuilder()).build());
  }

  /**
   * Registers {@code implementation} unless one of its workflow types is in {@code registered}
   * already (the worker cannot say, and a second registration would fail).
   */
  private static void registerWorkflow(
      Worker worker, Class<?> implementation, String source, List<Pipeline> registered) {
    List<String> types = types(implementation);
    List<String> taken = registered.stream().map(Pipeline::type).filter(types::contains).toList();
    if (!taken.isEmpty()) {
      log.info(
          "{} ({}) is registered on {} already, as {}; leaving it as it is",
          implementation.getName(),
          source,
          worker.getTaskQueue(),
          taken);
      return;
    }
    worker.registerWorkflowImplementationTypes(WorkflowImplementations.OPTIONS, implementation);
    for (String type : types) {
      registered.add(new Pipeline(type, implementation.getName(), source));
    }
  }

  private static void registerActivities(Worker worker, List<Object> activities) {
    for (Object implementation : activities) {
      try {
        worker.registerActivitiesImplementations(implementation);
      } catch (TypeAlreadyRegisteredException e) {
        log.info(
            "Activity {} is registered on {} already; leaving it as it is",
            e.getRegisteredTypeName(),
            worker.getTaskQueue());
      }
    }
  }

  private static List<String> types(Class<?> implementation) {
    return POJOWorkflowImplMetadata.newInstance(implementation).getWorkflowMethods().stream()
        .map(POJOWorkflowMethodMetadata::getName)
        .toList();
  }

  /** What Temporal would only find out per run; its registration checks the rest. */
  private static void validate(Class<?> type) {
    if (Modifier.isAbstract(type.getModifiers())) {
      throw new IllegalArgumentException("the class is abstract");
    }
  }

  private static List<Class<? extends PerennialPipeline>> pipelineTypes(Plugins plugins) {
    try {
      return plugins.types(PerennialPipeline.class);
    } catch (ServiceConfigurationError e) {
      throw new IllegalStateException(
          "cannot load the pipelines declared in "
              + declaring(plugins.classLoader(), e.getMessage())
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** The services files whose entries the loader's error message names. */
  private static List<String> declaring(ClassLoader loader, String message) {
    List<String> files = new ArrayList<>();
    try {
      for (URL url : Collections.list(loader.getResources(SERVICES))) {
        try (BufferedReader in =
            new BufferedReader(new InputStreamReader(url.openStream(), StandardCharsets.UTF_8))) {
          if (in.lines()
              .map(line -> line.replaceAll("#.*", "").strip())
              .anyMatch(name -> !name.isEmpty() && String.valueOf(message).contains(name))) {
            files.add(url.toString());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files.isEmpty() ? List.of(SERVICES) : files;
  }

  private static String source(Class<?> type) {
    CodeSource code = type.getProtectionDomain().getCodeSource();
    if (code == null || code.getLocation() == null) {
      return "class " + type.getName();
    }
    String location = code.getLocation().toString();
    return location.startsWith("file:") ? code.getLocation().getPath() : location;
  }
}
