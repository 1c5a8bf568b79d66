package dev.dopq.server.it;

import dev.dopq.api.DopqSession;
import dev.dopq.api.JobView;
import dev.dopq.server.testutil.Await;
import dev.dopq.server.testutil.EngineLeftovers;
import dev.dopq.server.testutil.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static dev.dopq.server.testutil.JobZips.aZip;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in headless Chromium against a real server running real jobs: login, a job seen going queued,
 * running and succeeded without a reload, cancel from the page, and another user's job refused.
 */
class DashboardIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    static Path dir;
    static TestServer server;
    static DopqSession admin;
    static WebDriver browser;
    static String base;
    static String anaToken;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, "0", "[web]\nhost = 127.0.0.1\nport = " + TestServer.freePort() + "\n");
        admin = server.admin();
        anaToken = admin.newToken("ana");
        base = "http://127.0.0.1:" + server.webPort();
        browser = chromium(Files.createDirectories(dir.resolve("chromium-profile")));
    }

    /** Chromium from Debian, driven by Debian's chromedriver: named explicitly, so Selenium Manager stays off. */
    static WebDriver chromium(Path profile) {
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--no-first-run",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
            EngineLeftovers.removeOf(server.instance());
        }
    }

    private static WebDriverWait waiting() {
        return new WebDriverWait(browser, WAIT, Duration.ofMillis(200));
    }

    private static void login(String token) {
        browser.get(base + "/login");
        browser.findElement(By.id("token")).sendKeys(token);
        browser.findElement(By.id("login")).click();
        new WebDriverWait(browser, Duration.ofSeconds(20), Duration.ofMillis(200))
                .until(d -> d.findElement(By.id("me")).getText().startsWith("ana"));
    }

    /** The state a job's row on the main page shows, or empty when it is in no table. */
    private static Optional<String> rowState(String table, String id) {
        List<WebElement> rows = browser.findElements(By.cssSelector("#" + table + " tr[data-job='" + id + "']"));
        return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.get(0).getAttribute("data-state"));
    }

    private static JobView awaitState(String name, String state) throws Exception {
        return Await.until(name + " " + state, WAIT, () -> {
            List<JobView> jobs = new java.util.ArrayList<>(admin.running());
            jobs.addAll(admin.queue());
            return jobs.stream().filter(j -> j.name().equals(name) && j.state().equals(state)).findFirst();
        });
    }

    @Test
    void a_user_logs_in_watches_a_job_go_queued_running_succeeded_live_and_cancels_one_from_the_page()
            throws Exception {
        login(anaToken);
        ((JavascriptExecutor) browser).executeScript("window.stillTheSamePage = true;");

        // bob's job holds the only GPU, so ana's waits in the queue first
        aZip().name("blocker").user("bob").command("sh", "-c", "sleep 8").dropInto(server.inbox(), "blocker.zip");
        awaitState("blocker", "RUNNING");
        aZip().name("watched").user("ana").command("sh", "-c", "sleep 3").dropInto(server.inbox(), "watched.zip");
        String id = awaitState("watched", "QUEUED").id();

        waiting().until(d -> rowState("queue", id).filter("QUEUED"::equals).isPresent());
        waiting().until(d -> rowState("running", id).filter("RUNNING"::equals).isPresent());
        waiting().until(d -> rowState("history", id).filter("SUCCEEDED"::equals).isPresent());
        assertThat(((JavascriptExecutor) browser).executeScript("return window.stillTheSamePage === true;"))
                .isEqualTo(true);

        aZip().name("endless").user("ana").command("sh", "-c", "sleep 300").dropInto(server.inbox(), "endless.zip");
        String endless = awaitState("endless", "RUNNING").id();
        // the page redraws its tables when figures change (penalties grow while jobs run): find and click at once
        waiting().ignoring(StaleElementReferenceException.class).until(d -> {
            d.findElement(By.cssSelector("#running button[data-job='" + endless + "']")).click();
            return true;
        });

        waiting().until(d -> rowState("history", endless).filter("CANCELLED"::equals).isPresent());
        JobView cancelled = TestServer.awaitHistory(admin, j -> j.id().equals(endless), WAIT).orElseThrow();
        assertThat(cancelled.state()).isEqualTo("CANCELLED");
        assertThat(cancelled.reason()).contains("ana");
    }

    @Test
    void another_users_job_shows_no_log_and_no_cancel_and_a_forged_cancel_is_refused() throws Exception {
        login(anaToken);
        aZip().name("secret").user("bob").command("sh", "-c", "echo bobs-secret-output; sleep 300")
                .dropInto(server.inbox(), "secret.zip");
        String id = awaitState("secret", "RUNNING").id();

        browser.get(base + "/job?id=" + id);
        waiting().until(d -> d.findElement(By.id("lognote")).getText().contains("owner or an admin"));
        assertThat(browser.findElements(By.id("cancel"))).isEmpty();
        assertThat(browser.findElement(By.id("log")).getText()).doesNotContain("bobs-secret-output");

        Object status = ((JavascriptExecutor) browser).executeAsyncScript(
                "var done = arguments[arguments.length - 1];"
                + "fetch('/api/job?id=" + id + "').then(r => r.json()).then(d =>"
                + " fetch('/api/cancel?id=" + id + "', {method: 'POST', headers: {'X-CSRF-Token': d.me.csrf}}))"
                + ".then(r => done(r.status));");
        assertThat(status).isEqualTo(403L);

        Cookie session = browser.manage().getCookieNamed("dopq_session");
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Strict");
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> foreign = http.send(HttpRequest.newBuilder(URI.create(base + "/api/cancel?id=" + id))
                .header("Cookie", "dopq_session=" + session.getValue()).header("Origin", "http://evil.example")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> noToken = http.send(HttpRequest.newBuilder(URI.create(base + "/api/cancel?id=" + id))
                .header("Cookie", "dopq_session=" + session.getValue()).header("Origin", base)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(admin.job(id).job().state()).isEqualTo("RUNNING");
        admin.cancel(id);
    }

    @Test
    void a_new_token_for_the_user_ends_the_dashboard_login_made_with_the_old_one() throws Exception {
        login(anaToken);
        String session = browser.manage().getCookieNamed("dopq_session").getValue();
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest state = HttpRequest.newBuilder(URI.create(base + "/api/state"))
                .header("Cookie", "dopq_session=" + session).GET().build();
        assertThat(http.send(state, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

        anaToken = admin.newToken("ana");

        HttpResponse<String> after = http.send(state, HttpResponse.BodyHandlers.ofString());
        assertThat(after.statusCode()).isEqualTo(401);
        assertThat(after.body()).contains("log in first");
        login(anaToken);
        assertThat(browser.manage().getCookieNamed("dopq_session").getValue()).isNotEqualTo(session);
    }
}
