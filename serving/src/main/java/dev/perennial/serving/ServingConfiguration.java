package dev.perennial.serving;

import dev.perennial.core.model.ModelLoader;
import dev.perennial.core.plugins.Plugins;
import dev.perennial.core.registry.ArtifactCheck;
import dev.perennial.core.registry.ModelRegistry;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.core.store.ObjectStores;
import dev.perennial.core.training.Trainers;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.servlet.filter.OrderedFormContentFilter;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class ServingConfiguration {

  @Bean
  ObjectStore objectStore(ServingProperties properties) {
    return ObjectStores.open(properties.s3().toSettings(), false);
  }

  /** Users' trainer jars ({@code perennial.plugins}); a path that is not there fails start-up. */
  @Bean
  Plugins plugins(ServingProperties properties) {
    return Plugins.load(properties.plugins());
  }

  /** The trainers whose models this server may load: built-in, class path and plug-ins. */
  @Bean
  Trainers trainers(Plugins plugins) {
    return Trainers.from(plugins);
  }

  @Bean
  ServedModels servedModels(ObjectStore store, ServingProperties properties, Trainers trainers) {
    ModelLoader loader = new ModelLoader(store, trainers.codec());
    return new ServedModels(
        new ModelRegistry(
            store, properties.artifactBucket(), Clock.systemUTC(), ArtifactCheck.loadable(loader)),
        loader);
  }

  @Bean
  OnlineQuality onlineQuality(MeterRegistry meters, ServingProperties properties) {
    return new OnlineQuality(meters, properties.serving().onlineQualityWindow());
  }

  @Bean(destroyMethod = "close")
  PredictionLog predictionLog(ObjectStore store, ServingProperties properties) {
    var serving = properties.serving();
    store.ensureBucket(properties.artifactBucket());
    return new PredictionLog(
        store,
        properties.artifactBucket(),
        serving.spoolDir(),
        "server-" + ProcessHandle.current().pid(),
        serving.logQueueCapacity(),
        serving.logFlushInterval().toMillis());
  }

  @Bean(destroyMethod = "close")
  ShadowScoring shadowScoring(
      PredictionLog predictions, MeterRegistry meters, ServingProperties properties) {
    var serving = properties.serving();
    return new ShadowScoring(
        predictions, meters, serving.shadowThreads(), serving.shadowQueueCapacity());
  }

  /**
   * The request body limit on the API, ahead of every filter that could read a body; after the
   * observation filter, so refused requests still show in the HTTP metrics.
   */
  @Bean
  FilterRegistrationBean<RequestSizeLimit> requestSizeLimit(
      ServingProperties properties, JsonMapper json) {
    FilterRegistrationBean<RequestSizeLimit> registration =
        new FilterRegistrationBean<>(
            new RequestSizeLimit(properties.serving().maxRequestBytes(), json));
    registration.addUrlPatterns("/v1/*");
    registration.setOrder(OrderedFormContentFilter.DEFAULT_ORDER - 100);
    return registration;
  }

  /** The health component {@code models} and the wanted/served version gauges. */
  @Bean
  ServedVersions models(ServedModels models, MeterRegistry meters) {
    return new ServedVersions(models, meters);
  }

  /** The health component {@code champions}: readiness for {@code perennial.serving.models}. */
  @Bean
  ChampionsLoaded champions(ServedModels models, ServingProperties properties) {
    return new ChampionsLoaded(models, properties.serving().models());
  }

  /**
   * Loads the champions of {@code perennial.serving.models} at once, then reads the registry every
   * refresh interval; a new champion serves within that time.
   */
  @Bean(destroyMethod = "shutdownNow")
  ScheduledExecutorService registryRefresh(
      ServedModels models,
      ServedVersions versions,
      ChampionsLoaded champions,
      ServingProperties properties) {
    ScheduledExecutorService refresh =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "perennial-registry-refresh");
              t.setDaemon(true);
              return t;
            });
    long millis = properties.serving().refreshInterval().toMillis();
    refresh.execute(champions::load);
    refresh.scheduleWithFixedDelay(
        () -> {
          champions.load();
          models.refresh();
          versions.publish();
        },
        millis,
        millis,
        TimeUnit.MILLISECONDS);
    return refresh;
  }
}
