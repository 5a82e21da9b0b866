package dev.perennial.starter.cli;

import static dev.perennial.starter.cli.PerennialCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.perennial.starter.stack.DevStack;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What a user does in the Temporal Web UI: start ContinuousTraining from the Start Workflow form
 * with {@code {"model":"credit-default"}}, watch it complete, find the schedule the command line
 * created on the Schedules page, then start a DriftMonitor from the same form and read its checks
 * with {@code perennial drift}. Runs on the real dev server and MinIO with Debian's Chromium;
 * screenshots go to target/screenshots.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiBrowserTest {
  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  Path dir;
  DevStack stack;
  WebDriver browser;
  String ui;

  @BeforeAll
  void up(@TempDir Path dir) throws Exception {
    RealServers.assumeInstalled();
    RealServers.assumeBrowser();
    this.dir = dir;
    stack =
        DevStack.startOnFreePorts(
            dir,
            DevStack.External.NONE,
            DevStack.ServerChoice.INSTALLED,
            new PrintWriter(Writer.nullWriter()));
    stack.endpoints().write(dir);
    ui = stack.endpoints().uiAddress();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(RealServers.CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,1000",
        "--user-data-dir=" + dir.resolve("chromium"));
    browser =
        new ChromeDriver(
            new ChromeDriverService.Builder()
                .usingDriverExecutable(RealServers.CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build(),
            options);
    Files.createDirectories(SCREENSHOTS);
  }

  @AfterAll
  void down() {
    if (browser != null) {
      browser.quit();
    }
    if (stack != null) {
      stack.close();
    }
  }

  private String cli(String... args) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--data-dir";
    all[args.length + 1] = dir.toString();
    var r = run(all);
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    return r.out();
  }

  private void screenshot(String name) throws Exception {
    Files.write(
        SCREENSHOTS.resolve(name + ".png"),
        ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }

  @Test
  void startAContinuousTrainingRunFromTheFormAndSeeTheSchedule() throws Exception {
    try {
      startFromTheFormAndFindTheSchedule();
    } catch (RuntimeException | AssertionError e) {
      screenshot("failed-here");
      throw e;
    }
  }

  private void startFromTheFormAndFindTheSchedule() throws Exception {
    cli("generate", "--model", "credit-default", "--days", "4", "--rows-per-day", "1000");
    cli("schedule", "create", "--model", "credit-default", "--cron", "0 2 * * MON");
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));

    browser.get(ui + "/namespaces/default/workflows/start-workflow");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("workflowId")))
        .sendKeys("started-from-the-ui");
    browser.findElement(By.id("taskQueue")).sendKeys("perennial-pipelines");
    browser.findElement(By.id("workflowType")).sendKeys("ContinuousTraining");
    WebElement input = browser.findElement(By.cssSelector(".cm-content"));
    input.click();
    input.sendKeys("{\"model\":\"credit-default\"}");
    // Leaving the editor reformats the JSON, which moves the button: blur first, then click.
    browser.findElement(By.tagName("h1")).click();
    WebElement start = browser.findElement(By.cssSelector("[data-testid=start-workflow-button]"));
    ((JavascriptExecutor) browser)
        .executeScript("arguments[0].scrollIntoView({block: 'center'})", start);
    screenshot("1-start-workflow-form");
    wait.until(ExpectedConditions.elementToBeClickable(start)).click();
    wait.until(
        d -> d.findElement(By.tagName("body")).getText().contains("Workflow started successfully"));
    screenshot("2-workflow-started");

    // The run's page fills its Result panel once the pipeline is done (the UI refreshes it).
    // Not "Completed": event names such as ActivityTaskCompleted contain that while it runs.
    browser.get(ui + "/namespaces/default/workflows/started-from-the-ui");
    new WebDriverWait(browser, Duration.ofSeconds(120))
        .until(
            d -> {
              String page = d.findElement(By.tagName("body")).getText();
              return page.contains("\"outcome\": \"PROMOTED\"")
                  && !page.contains("Results will appear upon completion");
            });
    screenshot("3-run-completed");
    assertThat(cli("models", "--model", "credit-default", "--version", "1"))
        .contains("Model credit-default v1: APPROVED")
        .contains("by started-from-the-ui");

    browser.get(ui + "/namespaces/default/schedules");
    wait.until(
        d ->
            d.findElement(By.tagName("body"))
                .getText()
                .contains("continuous-training-credit-default"));
    screenshot("4-schedules-page");

    startADriftMonitorFromTheForm(wait);
  }

  private void startADriftMonitorFromTheForm(WebDriverWait wait) throws Exception {
    browser.get(ui + "/namespaces/default/workflows/start-workflow");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("workflowId")))
        .sendKeys("drift-monitor-credit-default");
    browser.findElement(By.id("taskQueue")).sendKeys("perennial-pipelines");
    browser.findElement(By.id("workflowType")).sendKeys("DriftMonitor");
    WebElement input = browser.findElement(By.cssSelector(".cm-content"));
    input.click();
    input.sendKeys("{\"model\":\"credit-default\",\"policy\":{\"interval\":\"2s\"}}");
    browser.findElement(By.tagName("h1")).click();
    WebElement start = browser.findElement(By.cssSelector("[data-testid=start-workflow-button]"));
    ((JavascriptExecutor) browser)
        .executeScript("arguments[0].scrollIntoView({block: 'center'})", start);
    wait.until(ExpectedConditions.elementToBeClickable(start)).click();
    wait.until(
        d -> d.findElement(By.tagName("body")).getText().contains("Workflow started successfully"));

    // Nobody sends traffic in this test: the monitor's windows are empty, and it says so.
    String drift =
        await("the monitor's first measurement")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () -> cli("drift", "--model", "credit-default"), d -> d.contains("TOO_FEW_ROWS"));
    assertThat(drift)
        .contains("monitor drift-monitor-credit-default, RUNNING")
        .contains("champion:   v1")
        .contains("verdict:    TOO_FEW_ROWS")
        .contains("0 rows served, the policy needs 500");
    browser.get(ui + "/namespaces/default/workflows/drift-monitor-credit-default");
    wait.until(d -> d.findElement(By.tagName("body")).getText().contains("DriftMonitor"));
    screenshot("5-drift-monitor");
    assertThat(cli("monitor", "stop", "--model", "credit-default", "--reason", "test done"))
        .contains("Stopped drift-monitor-credit-default: test done");
  }
}
