package com.preaudit.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The packaged service (target/quarkus-app/quarkus-run.jar) in its own JVM, started as the README's run command
 * starts it, for the integration tests (*IT). Every call carries the admin token the node was started with, unless it
 * was started without one ({@link #startWithoutAdminToken}).
 */
public final class Node {

    /** The admin token every node of the ITs is started with (PREAUDIT_ADMIN_TOKEN) and every call sends. */
    public static final String ADMIN_TOKEN = "it-admin-token-6c1f0d2e9b";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final URI base;
    private final Path log;
    /** The credential every call carries; null for a node started without PREAUDIT_ADMIN_TOKEN. */
    private final String adminToken;

    private Node(Process process, URI base, Path log, String adminToken) {
        this.process = process;
        this.base = base;
        this.log = log;
        this.adminToken = adminToken;
    }

    /**
     * Starts the jar on {@code port} with these environment variables and JVM options and {@link #ADMIN_TOKEN} as its
     * first admin token (PREAUDIT_ADMIN_TOKEN, as a container would set it), and waits until /q/health/ready answers 200.
     */
    public static Node start(int port, Map<String, String> env, Path log, String... jvmOptions) throws IOException, InterruptedException {
        return start(port, env, log, ADMIN_TOKEN, jvmOptions);
    }

    /**
     * As {@link #start}, but as the README's first start on a machine: without PREAUDIT_ADMIN_TOKEN, so the service
     * makes its own admin token (data/admin.token). Calls then carry no credential unless {@link #send} is given one.
     */
    public static Node startWithoutAdminToken(int port, Map<String, String> env, Path log, String... jvmOptions)
            throws IOException, InterruptedException {
        return start(port, env, log, null, jvmOptions);
    }

    private static Node start(int port, Map<String, String> env, Path log, String adminToken, String... jvmOptions)
            throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("preaudit.runner", "target/quarkus-app/quarkus-run.jar"));
        assertTrue(Files.exists(jar), "build the service first: " + jar);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().remove("QUARKUS_DATASOURCE_JDBC_URL");
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        if (adminToken == null) {
            pb.environment().remove("PREAUDIT_ADMIN_TOKEN");
        } else {
            pb.environment().put("PREAUDIT_ADMIN_TOKEN", adminToken);
        }
        pb.environment().putAll(env);
        Node node = new Node(pb.start(), URI.create("http://127.0.0.1:" + port), log, adminToken);
        try {
            node.awaitReady(Duration.ofSeconds(180));
        } catch (AssertionError | InterruptedException e) {
            // the caller never gets the node, so its cleanup cannot stop it: a service (and its embedded PostgreSQL)
            // left running would hold the port and the data directory for the tests after it
            node.stop();
            throw e;
        }
        return node;
    }

    private void awaitReady(Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("the service exited while starting; log: " + log);
            }
            try {
                if (get("/q/health/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        fail("the service was not ready within " + within.toSeconds() + " s; log: " + log);
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public URI base() {
        return base;
    }

    public Process process() {
        return process;
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** kill -9: the JVM gets no chance to flush anything. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(60, TimeUnit.SECONDS);
    }

    /** SIGTERM and wait (then SIGKILL): the end of a test. */
    public void stop() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private HttpRequest.Builder request(String path) {
        return request(path, adminToken);
    }

    private HttpRequest.Builder request(String path, String bearer) {
        // generous: on a shared machine under load a catalog publish alone took over 30 s
        HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(180));
        return bearer == null ? r : r.header("Authorization", "Bearer " + bearer);
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return HTTP.send(postRequest(path, json), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> put(String path, String json) throws IOException, InterruptedException {
        return HTTP.send(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return HTTP.send(request(path).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A POST with another credential than the admin token. */
    public HttpResponse<String> postAs(String bearer, String path, String json) throws IOException, InterruptedException {
        return send("POST", path, bearer, json);
    }

    /** Any call with {@code bearer} as its credential (none when null) and {@code json} as its body (none when null). */
    public HttpResponse<String> send(String method, String path, String bearer, String json) throws IOException, InterruptedException {
        HttpRequest.Builder r = request(path, bearer);
        if (json != null) {
            r.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            r.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    public CompletableFuture<HttpResponse<String>> postAsync(String path, String json) {
        return HTTP.sendAsync(postRequest(path, json), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest postRequest(String path, String json) {
        return request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }
}
