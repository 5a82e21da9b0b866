package dev.perennial.core.training;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Properties;

/**
 * A trainer's resolved options: validated when built, stored beside the model so a version can be
 * re-trained exactly. {@link Trainer#options} applied to {@link TrainerSettings#of(Properties)
 * TrainerSettings.of(toProperties())} must give equal options back.
 */
public interface TrainerOptions {

  /**
   * The options as text, one key per option, named as {@link Trainer#options} reads them. For a
   * record, by default every component by its name, as {@link String#valueOf}.
   */
  default Properties toProperties() {
    if (!(this instanceof Record)) {
      throw new UnsupportedOperationException(
          getClass().getName() + " is not a record: implement toProperties()");
    }
    Properties p = new Properties();
    for (RecordComponent c : getClass().getRecordComponents()) {
      try {
        var accessor = c.getAccessor();
        accessor.setAccessible(true);
        Object value = accessor.invoke(this);
        if (value != null) {
          p.setProperty(c.getName(), String.valueOf(value));
        }
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException("cannot read option " + c.getName(), e);
      }
    }
    return p;
  }
}
