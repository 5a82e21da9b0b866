package dev.perennial.starter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** The command line's logging in code says what logback.xml (the embedded stack's) says. */
class CliLoggingTest {
  @Test
  void configuresWhatLogbackXmlConfigures() throws JoranException {
    LoggerContext inCode = new LoggerContext();
    CliLogging logging = new CliLogging();
    logging.setContext(inCode);
    assertThat(logging.configure(inCode))
        .isEqualTo(
            ch.qos.logback.classic.spi.Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);

    LoggerContext fromXml = new LoggerContext();
    JoranConfigurator joran = new JoranConfigurator();
    joran.setContext(fromXml);
    joran.doConfigure(CliLogging.class.getResource("/logback.xml"));

    for (String logger :
        List.of(Logger.ROOT_LOGGER_NAME, "io.temporal", "org.gaul", "dev.perennial")) {
      assertThat(inCode.getLogger(logger).getEffectiveLevel())
          .as(logger)
          .isEqualTo(fromXml.getLogger(logger).getEffectiveLevel());
    }
    assertThat(describe(inCode)).isEqualTo(describe(fromXml));
  }

  /** The root's appender: name, target and pattern. */
  private static String describe(LoggerContext context) {
    var appender =
        (ConsoleAppender<ILoggingEvent>)
            context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR");
    return appender.getName()
        + " "
        + appender.getTarget()
        + " "
        + ((PatternLayoutEncoder) appender.getEncoder()).getPattern();
  }
}
