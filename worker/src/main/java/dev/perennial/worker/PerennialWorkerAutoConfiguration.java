package dev.perennial.worker;

import dev.perennial.core.plugins.Plugins;
import dev.perennial.workflows.TaskQueues;
import dev.perennial.workflows.WorkflowImplementations;
import dev.perennial.workflows.canary.CanaryActivities;
import dev.perennial.workflows.dataset.DatasetActivities;
import dev.perennial.workflows.drift.DriftActivities;
import dev.perennial.workflows.registry.RegistryActivities;
import dev.perennial.workflows.scoring.ScoringActivities;
import dev.perennial.workflows.training.TrainingActivities;
import dev.perennial.workflows.watch.DataWatchActivities;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.spring.boot.TemporalOptionsCustomizer;
import io.temporal.spring.boot.WorkerOptionsCustomizer;
import io.temporal.spring.boot.WorkflowImplementationOptionsCustomizer;
import io.temporal.spring.boot.autoconfigure.RootNamespaceAutoConfiguration;
import io.temporal.spring.boot.autoconfigure.template.NamespaceTemplate;
import io.temporal.spring.boot.autoconfigure.template.WorkersTemplate;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.util.List;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * Perennial's worker for any Spring Boot application that depends on {@code perennial-worker} and
 * configures a Temporal connection ({@code spring.temporal.connection.target}): the services and
 * activity beans of {@link WorkerConfiguration}, the {@link Plugins} of {@code perennial.plugins},
 * and the two workers of {@link PerennialWorkers} on the starter's worker factory.
 *
 * <p>The Temporal starter makes a worker factory only when {@code spring.temporal.workers} or
 * {@code spring.temporal.workers-auto-discovery} is set; without either, this configuration makes
 * it from the starter's own templates, so its customizers, interceptors and plugins still apply.
 * {@code perennial.worker.enabled=false} turns all of it off.
 */
@AutoConfiguration(after = RootNamespaceAutoConfiguration.class)
@ConditionalOnProperty(
    prefix = "perennial.worker",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
@ConditionalOnBean(name = "temporalRootNamespaceTemplate")
@EnableConfigurationProperties(PerennialProperties.class)
@Import(WorkerConfiguration.class)
public class PerennialWorkerAutoConfiguration {
  private static final String WORKERS_TEMPLATE = "temporalWorkersTemplate";

  /**
   * Normally registered before the context refreshes by {@link PluginsEnvironmentPostProcessor};
   * this is for contexts started without it.
   */
  @Bean(name = PluginsEnvironmentPostProcessor.BEAN_NAME)
  @ConditionalOnMissingBean
  Plugins perennialPlugins(Environment environment) {
    return Plugins.load(environment.getProperty("perennial.plugins"));
  }

  @Bean(name = WORKERS_TEMPLATE)
  @ConditionalOnMissingBean(name = WORKERS_TEMPLATE)
  WorkersTemplate perennialWorkersTemplate(
      @Qualifier("temporalRootNamespaceTemplate") NamespaceTemplate namespace) {
    return namespace.getWorkersTemplate();
  }

  @Bean(name = "temporalWorkerFactory", destroyMethod = "shutdown")
  @ConditionalOnMissingBean(name = "temporalWorkerFactory")
  WorkerFactory perennialWorkerFactory(@Qualifier(WORKERS_TEMPLATE) WorkersTemplate workers) {
    return workers.getWorkerFactory();
  }

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnProperty(prefix = "spring.temporal", name = "start-workers", matchIfMissing = true)
  RootNamespaceAutoConfiguration.WorkerFactoryStarter perennialWorkerFactoryStarter(
      @Qualifier("temporalWorkerFactory") WorkerFactory factory) {
    return new RootNamespaceAutoConfiguration.WorkerFactoryStarter(factory);
  }

  /** Registered before the factory starts: it starts once the application is ready. */
  @Bean
  PerennialWorkers perennialWorkers(
      @Qualifier(WORKERS_TEMPLATE) WorkersTemplate workers,
      Plugins plugins,
      PerennialProperties properties,
      DatasetActivities datasets,
      RegistryActivities registry,
      CanaryActivities canary,
      DriftActivities drift,
      TrainingActivities training,
      ScoringActivities scoring,
      DataWatchActivities watch,
      ObjectProvider<TemporalOptionsCustomizer<WorkerOptions.Builder>> customizers) {
    List<TemporalOptionsCustomizer<WorkerOptions.Builder>> ordered =
        customizers.orderedStream().toList();
    return PerennialWorkers.register(
        workers,
        plugins,
        List.of(datasets, registry, canary, drift, watch),
        List.of(training, scoring),
        properties.trainingConcurrency(),
        properties::polls,
        (builder, name, taskQueue) -> {
          WorkerOptions.Builder b = builder;
          for (TemporalOptionsCustomizer<WorkerOptions.Builder> c : ordered) {
            b = c.customize(b);
            if (c instanceof WorkerOptionsCustomizer w) {
              b = w.customize(b, name, taskQueue);
            }
          }
          return b;
        });
  }

  /**
   * Pipelines the Temporal starter registers on the pipelines queue (auto-discovered ones) get
   * {@link WorkflowImplementations#OPTIONS} too, as Perennial's own registrations do.
   */
  @Bean
  WorkflowImplementationOptionsCustomizer perennialWorkflowImplementationOptions() {
    return (builder, worker, type, method) ->
        worker.getTaskQueue().equals(TaskQueues.PIPELINES)
            ? builder.setFailWorkflowExceptionTypes(
                WorkflowImplementations.OPTIONS.getFailWorkflowExceptionTypes())
            : builder;
  }

  /** Runs before the workers start polling (they start once the context is ready). */
  @Bean
  InitializingBean perennialSearchAttributeRegistration(
      WorkflowServiceStubs service, @Value("${spring.temporal.namespace:default}") String ns) {
    return () -> SearchAttributeRegistration.register(service, ns);
  }
}
