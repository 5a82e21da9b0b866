package dev.perennial.worker;

import dev.perennial.core.plugins.Plugins;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.support.ResourcePropertySource;

/**
 * Prepares an application that hosts Perennial's workers before its context exists: adds the
 * defaults of {@code perennial.*} (weakest of all property sources) and loads the plug-in jars
 * named by {@code perennial.plugins} (default {@code PERENNIAL_PLUGINS}).
 *
 * <p>The plug-in class loader becomes the application's class loader, so Spring loads bean classes
 * and configured class names through it, and the same {@link Plugins} is the context's {@code
 * perennialPlugins} bean, which finds pipelines and trainers for the workers. It must happen here:
 * the bean factory's class loader is fixed when the context is created.
 *
 * <p>Does nothing in an application that sets {@code perennial.worker.enabled=false} (the dev
 * stack's model server, which shares the command line's class path).
 */
public final class PluginsEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {
  static final String DEFAULTS = "META-INF/perennial/worker-defaults.properties";
  static final String BEAN_NAME = "perennialPlugins";

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    if (!environment.getProperty("perennial.worker.enabled", Boolean.class, true)) {
      return;
    }
    try {
      environment
          .getPropertySources()
          .addLast(
              new ResourcePropertySource(
                  "perennialWorkerDefaults",
                  new ClassPathResource(
                      DEFAULTS, PluginsEnvironmentPostProcessor.class.getClassLoader())));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + DEFAULTS, e);
    }
    Plugins plugins = Plugins.load(environment.getProperty("perennial.plugins"));
    if (!plugins.jars().isEmpty() && application.getResourceLoader() == null) {
      application.setResourceLoader(new DefaultResourceLoader(plugins.classLoader()));
    }
    application.addInitializers(
        context -> context.getBeanFactory().registerSingleton(BEAN_NAME, plugins));
  }

  /** After the config data (application.yaml, arguments), which may name the plug-ins. */
  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
