package dev.perennial.starter.infra;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test class runs containers of these images (names for {@link ContainerEngine#image}): it is
 * skipped, with the reason, where the Docker engine or one of them is missing, unless {@code
 * PERENNIAL_CONTAINERS=required}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(ContainerEngine.Condition.class)
public @interface ContainerImages {
  String[] value();
}
