package com.preaudit.simulation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.preaudit.catalog.CatalogService;
import com.preaudit.engine.model.Scenario;
import com.preaudit.engine.model.Stage;
import com.preaudit.platform.ApiException;
import com.preaudit.platform.FieldError;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Impact simulations (PRODUCT.md §11): checks what is asked, records it as RUNNING and hands it to a small pool of
 * background workers ({@code preaudit.simulation.workers}, one by default), which replay it
 * ({@link SimulationRunner}). Cancelling is a status change that the worker sees within a page. A RUNNING row
 * whose process is gone ({@link NodeLock}) is ended FAILED, at start-up and whenever it is read.
 */
@ApplicationScoped
public class SimulationService {

    private static final Logger LOG = Logger.getLogger(SimulationService.class);
    static final String INTERRUPTED = "interrupted: the service running it stopped before it finished (restart or crash); start it again";

    private final CatalogService catalog;
    private final SimulationRunner runner;
    private final NodeLock lock;
    private final SimulationConfig config;
    private final ObjectMapper mapper;
    private final ZoneId zone;
    private final ThreadPoolExecutor workers;
    /** Cancel flags of the simulations this node has queued or is running. */
    private final Map<UUID, AtomicBoolean> local = new ConcurrentHashMap<>();

    public SimulationService(CatalogService catalog, SimulationRunner runner, NodeLock lock, SimulationConfig config,
                             ObjectMapper mapper, @ConfigProperty(name = "preaudit.stats.zone") Optional<String> zone) {
        this.catalog = catalog;
        this.runner = runner;
        this.lock = lock;
        this.config = config;
        this.mapper = mapper;
        this.zone = zone.map(ZoneId::of).orElse(ZoneId.systemDefault());
        int n = Math.max(1, config.workers());
        AtomicInteger count = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(n, n, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(Math.max(1, config.maxQueued())), r -> {
            // below the request threads in the OS scheduler: the audits keep their latency (BackgroundPriority)
            Thread t = new Thread(() -> {
                BackgroundPriority.lowerCurrentThread();
                r.run();
            }, "simulation-" + count.incrementAndGet());
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        });
    }

    void onStart(@Observes StartupEvent event) {
        try {
            int ended = endInterrupted(null);
            if (ended > 0) {
                LOG.infof("%d simulation(s) interrupted by the last stop ended FAILED", ended);
            }
        } catch (RuntimeException | SQLException e) {
            LOG.warnf("could not check for interrupted simulations at start-up: %s", e.getMessage());
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        local.values().forEach(flag -> flag.set(true));
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lock.release();
    }

    public SimulationView start(SimulationRequest request, String subject) {
        Simulation s = validate(request);
        s.id = UUID.randomUUID();
        s.status = Simulation.Status.RUNNING;
        s.createdBy = subject;
        s.createdAt = OffsetDateTime.now();
        s.node = lock.node();
        s.periodEnd = min(s.periodEnd, s.createdAt);
        try {
            lock.hold();
        } catch (SQLException e) {
            throw new com.preaudit.platform.StorageException("the simulation store", e);
        }
        AtomicBoolean cancel = new AtomicBoolean();
        local.put(s.id, cancel);
        QuarkusTransaction.requiringNew().run(s::persist);
        try {
            workers.execute(() -> {
                try {
                    runner.run(s.id, cancel);
                } finally {
                    local.remove(s.id);
                }
            });
        } catch (RejectedExecutionException e) {
            local.remove(s.id);
            QuarkusTransaction.requiringNew().run(() -> Simulation.deleteById(s.id));
            throw new ApiException(429, "Too Many Requests", config.maxQueued() + " simulations are already waiting on this node; "
                    + "try again when one has finished");
        }
        return view(s);
    }

    public SimulationView get(UUID id) {
        Simulation s = QuarkusTransaction.requiringNew().call(() -> Simulation.<Simulation>findById(id));
        if (s == null) {
            throw ApiException.notFound("no simulation " + id);
        }
        if (s.status == Simulation.Status.RUNNING && !local.containsKey(id)) {
            try {
                if (endInterrupted(id) > 0) {
                    s = QuarkusTransaction.requiringNew().call(() -> Simulation.<Simulation>findById(id));
                }
            } catch (SQLException e) {
                // the row is shown as it is; the next read checks again
            }
        }
        return view(s);
    }

    /** The latest simulations, newest first, without their results (GET one for that). */
    public List<SimulationView> list(int limit) {
        return list(0, limit);
    }

    /** Rows {@code offset} to {@code offset + limit} of the simulations, newest first, without their results. */
    public List<SimulationView> list(int offset, int limit) {
        List<Simulation> rows = QuarkusTransaction.requiringNew().call(() ->
                Simulation.<Simulation>find("order by createdAt desc, id").range(offset, offset + limit - 1).list());
        return rows.stream().map(s -> view(s, false)).toList();
    }

    /** How many simulations are stored (for paging). */
    public long count() {
        return QuarkusTransaction.requiringNew().call(() -> Simulation.count());
    }

    /** Cancels a running simulation; cancelling a cancelled one again is harmless, a finished one is 409. */
    public SimulationView cancel(UUID id) {
        Simulation s = QuarkusTransaction.requiringNew().call(() -> {
            Simulation row = Simulation.findById(id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
            if (row == null) {
                throw ApiException.notFound("no simulation " + id);
            }
            if (row.status == Simulation.Status.RUNNING) {
                row.status = Simulation.Status.CANCELLED;
                row.finishedAt = OffsetDateTime.now();
            } else if (row.status != Simulation.Status.CANCELLED) {
                throw ApiException.conflict("simulation " + id + " is already " + row.status + "; only a RUNNING one can be cancelled");
            }
            return row;
        });
        AtomicBoolean flag = local.get(id);
        if (flag != null) {
            flag.set(true);
        }
        return view(s);
    }

    /**
     * Ends FAILED the RUNNING simulations (all, or the one given) whose node no longer holds its lock: their
     * process stopped before they finished. Returns how many.
     */
    int endInterrupted(UUID only) throws SQLException {
        List<Simulation> running = QuarkusTransaction.requiringNew().call(() -> only == null
                ? Simulation.<Simulation>list("status", Simulation.Status.RUNNING)
                : Simulation.<Simulation>list("id = ?1 and status = ?2", only, Simulation.Status.RUNNING));
        int ended = 0;
        for (Simulation s : running) {
            if (lock.node().equals(s.node) ? local.containsKey(s.id) : lock.alive(s.node)) {
                continue;
            }
            ended += QuarkusTransaction.requiringNew().call(() -> Simulation.update(
                    "status = ?1, failureReason = ?2, finishedAt = ?3 where id = ?4 and status = ?5",
                    Simulation.Status.FAILED, INTERRUPTED, OffsetDateTime.now(), s.id, Simulation.Status.RUNNING));
        }
        return ended;
    }

    // ---- input ----------------------------------------------------------------------------------

    private Simulation validate(SimulationRequest r) {
        if (r == null) {
            throw ApiException.unprocessable("a simulation request is required",
                    List.of(new FieldError("/", "a JSON object with candidate, baseline, from and to is required")));
        }
        List<FieldError> errors = new ArrayList<>();
        Simulation s = new Simulation();
        // candidate: "draft" or a published version
        if (r.candidate() == null || r.candidate().isNull()) {
            errors.add(new FieldError("/candidate", "is required: \"draft\" or a published version number"));
        } else if (r.candidate().isTextual() && "draft".equals(r.candidate().asText())) {
            s.candidate = "draft";
        } else {
            Integer v = publishedVersion(r.candidate(), "/candidate", "draft", errors);
            if (v != null) {
                s.candidate = Integer.toString(v);
                s.candidateVersion = v;
            }
        }
        // baseline: "active" (the default) or a published version
        if (r.baseline() == null || r.baseline().isNull() || (r.baseline().isTextual() && "active".equals(r.baseline().asText()))) {
            Integer active = catalog.activeVersion();
            if (active == null) {
                errors.add(new FieldError("/baseline", "no catalog version is active yet"));
            } else {
                s.baseline = "active";
                s.baselineVersion = active;
            }
        } else {
            Integer v = publishedVersion(r.baseline(), "/baseline", "active", errors);
            if (v != null) {
                s.baseline = Integer.toString(v);
                s.baselineVersion = v;
            }
        }
        s.from = date(r.from(), "/from", errors);
        s.to = date(r.to(), "/to", errors);
        if (s.from != null && s.to != null && s.from.isAfter(s.to)) {
            errors.add(new FieldError("/to", "must not be before from (" + s.from + ")"));
        }
        s.stage = oneOf(r.stage(), "/stage", Arrays.stream(Stage.values()).map(Enum::name).toList(), errors);
        s.scenario = oneOf(r.scenario(), "/scenario", Arrays.stream(Scenario.values()).map(Enum::name).toList(), errors);
        if (!errors.isEmpty()) {
            throw ApiException.unprocessable("the simulation request is invalid; nothing was started", errors);
        }
        s.periodStart = s.from.atStartOfDay(zone).toOffsetDateTime();
        s.periodEnd = s.to.plusDays(1).atStartOfDay(zone).toOffsetDateTime();
        return s;
    }

    /**
     * The published version a request names in {@code field} (which also takes the word {@code other}), or null with
     * the error added.
     */
    private Integer publishedVersion(JsonNode n, String field, String other, List<FieldError> errors) {
        Integer v = version(n);
        if (v == null) {
            errors.add(new FieldError(field, "must be \"" + other + "\" or a published version number, not " + n));
        } else if (!catalog.versionExists(v)) {
            errors.add(new FieldError(field, "no catalog version " + v));
            return null;
        }
        return v;
    }

    private static Integer version(JsonNode n) {
        if (n.isIntegralNumber() && n.canConvertToInt() && n.asInt() > 0) {
            return n.asInt();
        }
        if (n.isTextual() && n.asText().matches("[1-9][0-9]{0,8}")) {
            return Integer.parseInt(n.asText());
        }
        return null;
    }

    private static LocalDate date(String value, String field, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            errors.add(new FieldError(field, "is required (yyyy-MM-dd)"));
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "must be a date yyyy-MM-dd, not '" + value + "'"));
            return null;
        }
    }

    private static String oneOf(String value, String field, List<String> allowed, List<FieldError> errors) {
        if (value == null) {
            return null;
        }
        if (!allowed.contains(value)) {
            errors.add(new FieldError(field, "must be one of " + allowed));
        }
        return value;
    }

    private static OffsetDateTime min(OffsetDateTime a, OffsetDateTime b) {
        return a.isBefore(b) ? a : b;
    }

    // ---- output ---------------------------------------------------------------------------------

    SimulationView view(Simulation s) {
        return view(s, true);
    }

    private SimulationView view(Simulation s, boolean withResult) {
        SimulationResult result = null;
        if (withResult && s.result != null) {
            try {
                result = mapper.readValue(s.result, SimulationResult.class);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("stored result of simulation " + s.id + " is not readable", e);
            }
        }
        return new SimulationView(s.id.toString(), s.status.name(), s.candidate, s.candidateVersion, s.baseline, s.baselineVersion,
                s.from, s.to, s.stage, s.scenario, new SimulationView.Progress(s.replayed, s.total), result, s.createdBy,
                s.createdAt, s.startedAt, s.finishedAt, s.failureReason);
    }
}
