package dev.perennial.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.perennial.workflows.registry.AliasChange;
import dev.perennial.workflows.registry.Aliases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A change in the registry reaches the server while it serves, without a failed request. */
class RefreshTest extends LiveServer {
  @Test
  void aNewChampionServesWithinSecondsWithoutAFailedRequest() throws Exception {
    assertThat(post(MODEL, ROW).body().get("version").asInt()).isEqualTo(1);
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger failures = new AtomicInteger();
    AtomicInteger served = new AtomicInteger();
    List<Thread> load = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      Thread thread =
          new Thread(
              () -> {
                while (running.get()) {
                  try {
                    if (post(MODEL, ROW).status() == 200) {
                      served.incrementAndGet();
                    } else {
                      failures.incrementAndGet();
                    }
                  } catch (Exception e) {
                    failures.incrementAndGet();
                  }
                }
              });
      thread.start();
      load.add(thread);
    }
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> served.get() >= 20);
      registry.setAlias(new AliasChange(MODEL, Aliases.CHAMPION, 2, "test swap", "test"));
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> post(MODEL, ROW).body().get("version").asInt() == 2);
      // Load goes on across the swap and after it: not one request may fail.
      int atSwap = served.get();
      await().atMost(Duration.ofSeconds(10)).until(() -> served.get() >= atSwap + 20);
    } finally {
      running.set(false);
      for (Thread thread : load) {
        thread.join();
      }
      registry.setAlias(new AliasChange(MODEL, Aliases.CHAMPION, 1, "back", "test"));
      awaitRouting(1, 0);
    }
    assertThat(failures.get()).isZero();
  }
}
