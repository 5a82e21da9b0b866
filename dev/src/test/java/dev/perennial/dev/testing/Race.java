package dev.perennial.dev.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Starts several calls at the same instant, to test what happens when writers collide. */
public final class Race {

  /** One caller's work; {@code caller} is 0, 1, 2, ... */
  @FunctionalInterface
  public interface Call<T> {
    T run(int caller) throws Exception;
  }

  private Race() {}

  /**
   * Runs {@code call} on {@code callers} threads released together and returns the results in
   * caller order. The first failure is rethrown (wrapped in an ExecutionException).
   */
  public static <T> List<T> run(int callers, Call<T> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        int caller = i;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return call.run(caller);
                }));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get(60, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
