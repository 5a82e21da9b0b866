package dev.perennial.worker;

import dev.perennial.activities.canary.CanaryActivitiesImpl;
import dev.perennial.activities.canary.CanaryAnalyzer;
import dev.perennial.activities.dataset.DatasetActivitiesImpl;
import dev.perennial.activities.drift.DriftActivitiesImpl;
import dev.perennial.activities.drift.DriftAnalyzer;
import dev.perennial.activities.drift.DriftGauges;
import dev.perennial.activities.registry.RegistryActivitiesImpl;
import dev.perennial.activities.scoring.ScoringActivitiesImpl;
import dev.perennial.activities.training.TrainingActivitiesImpl;
import dev.perennial.activities.watch.DataWatchActivitiesImpl;
import dev.perennial.core.dataset.DataPartitions;
import dev.perennial.core.dataset.DatasetSnapshots;
import dev.perennial.core.dataset.DatasetValidator;
import dev.perennial.core.dataset.SnapshotReader;
import dev.perennial.core.plugins.Plugins;
import dev.perennial.core.registry.ArtifactCheck;
import dev.perennial.core.registry.ModelRegistry;
import dev.perennial.core.scoring.BatchScorer;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.core.store.ObjectStores;
import dev.perennial.core.training.CacheKeys;
import dev.perennial.core.training.Trainers;
import dev.perennial.core.training.TrainingService;
import dev.perennial.workflows.canary.CanaryActivities;
import dev.perennial.workflows.dataset.DatasetActivities;
import dev.perennial.workflows.drift.DriftActivities;
import dev.perennial.workflows.registry.RegistryActivities;
import dev.perennial.workflows.scoring.ScoringActivities;
import dev.perennial.workflows.training.TrainingActivities;
import dev.perennial.workflows.watch.DataWatchActivities;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The plain services and their activity adapters, imported by {@link
 * PerennialWorkerAutoConfiguration}. An application replaces any of them by defining a bean of the
 * same type.
 */
@Configuration(proxyBeanMethods = false)
class WorkerConfiguration {

  @Bean
  @ConditionalOnMissingBean
  ObjectStore objectStore(PerennialProperties properties) {
    ObjectStore store =
        ObjectStores.open(properties.s3().toSettings(), properties.s3().serializeWritesPerKey());
    store.ensureBucket(properties.artifactBucket());
    return store;
  }

  @Bean
  @ConditionalOnMissingBean
  ModelRegistry modelRegistry(
      ObjectStore store, PerennialProperties properties, Trainers trainers) {
    return new ModelRegistry(
        store,
        properties.artifactBucket(),
        Clock.systemUTC(),
        ArtifactCheck.loadable(store, trainers.codec()));
  }

  /**
   * The built-in trainers and those on the class path or in the plug-ins: what this worker trains
   * with, and whose models it admits when it checks a version before an alias may name it.
   */
  @Bean
  @ConditionalOnMissingBean
  Trainers trainers(Plugins plugins) {
    return Trainers.from(plugins);
  }

  @Bean
  @ConditionalOnMissingBean
  SnapshotReader snapshotReader(ObjectStore store) {
    return new SnapshotReader(store);
  }

  @Bean
  @ConditionalOnMissingBean
  DatasetActivities datasetActivities(
      ObjectStore store, SnapshotReader reader, PerennialProperties properties) {
    return new DatasetActivitiesImpl(
        new DatasetSnapshots(store, properties.artifactBucket()),
        new DatasetValidator(store, reader, properties.artifactBucket()));
  }

  /** Computes the step cache's keys with this worker's trainers, as its training worker would. */
  @Bean
  @ConditionalOnMissingBean
  RegistryActivities registryActivities(ModelRegistry registry, Trainers trainers) {
    return new RegistryActivitiesImpl(registry, new CacheKeys(trainers));
  }

  /** Reads the model servers' prediction and feedback logs, which they write to this bucket. */
  @Bean
  @ConditionalOnMissingBean
  CanaryActivities canaryActivities(ObjectStore store, PerennialProperties properties) {
    return new CanaryActivitiesImpl(
        new CanaryAnalyzer(store, properties.artifactBucket(), Clock.systemUTC()));
  }

  /**
   * Compares the features the model servers log with each champion's training profile; publishes
   * the latest figures as gauges on the worker's registry (scraped at /actuator/prometheus).
   */
  @Bean
  @ConditionalOnMissingBean
  DriftActivities driftActivities(
      ObjectStore store,
      ModelRegistry registry,
      PerennialProperties properties,
      MeterRegistry meters) {
    return new DriftActivitiesImpl(
        new DriftAnalyzer(store, properties.artifactBucket(), registry, Clock.systemUTC()),
        new DriftGauges(meters));
  }

  @Bean
  @ConditionalOnMissingBean
  TrainingActivities trainingActivities(
      ObjectStore store, SnapshotReader reader, PerennialProperties properties, Trainers trainers) {
    return new TrainingActivitiesImpl(
        new TrainingService(store, properties.artifactBucket(), reader, trainers));
  }

  /** Batch scoring, on the training queue beside training: it loads models as evaluation does. */
  @Bean
  @ConditionalOnMissingBean
  ScoringActivities scoringActivities(
      ObjectStore store, ModelRegistry registry, Trainers trainers) {
    return new ScoringActivitiesImpl(new BatchScorer(store, registry, trainers.codec()));
  }

  /** Lists the data prefixes data watches poll: names only. */
  @Bean
  @ConditionalOnMissingBean
  DataWatchActivities dataWatchActivities(ObjectStore store) {
    return new DataWatchActivitiesImpl(new DataPartitions(store));
  }
}
