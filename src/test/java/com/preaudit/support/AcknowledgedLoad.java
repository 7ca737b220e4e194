package com.preaudit.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Load for the crash tests: audits (a male patient's IUD, one finding each), charges and dispositions of findings,
 * sent to the given nodes in turn, 16 at a time. Records what each node acknowledged (200/204), so that after a
 * node is killed every acknowledged item can be looked for on the database.
 */
public final class AcknowledgedLoad {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AUDIT = """
            {"stage": "PRE_ORDER", "patient": {"id": "%s", "gender": "M", "birthDate": "1951-08-27"},
             "lines": [{"id": "L1", "itemCode": "XG02BAZ061Z007010279543", "itemName": "左炔诺孕酮宫内节育系统",
                        "itemType": "DRUG", "quantity": 1, "amount": 1153.00}]}""";
    private static final String CHARGE = """
            {"patientId": "%s", "encounterId": "E1", "lines": [{"id": "%s", "itemCode": "003101000010000", "itemName": "床旁B超",
              "itemType": "SERVICE", "quantity": 1, "amount": 80.00, "orderedAt": "%s"}]}""";
    private static final String DISPOSITION = """
            {"items": [{"findingId": "%s", "disposition": "OVERRIDDEN", "reason": "临床必需", "by": "D-CRASH"}]}""";

    private final String tag;
    public final Set<String> audits = ConcurrentHashMap.newKeySet();
    /** patientId → line ids acknowledged. */
    public final Map<String, Set<String>> charges = new ConcurrentHashMap<>();
    /** auditId → finding id disposed of, acknowledged. */
    public final Map<String, String> dispositions = new ConcurrentHashMap<>();
    /** Acknowledged audits with a finding and no disposition yet. */
    private final ConcurrentLinkedQueue<String[]> toDispose = new ConcurrentLinkedQueue<>();
    public final AtomicInteger failures = new AtomicInteger();
    /** Acknowledged audits answered recorded:false (the database did not take them in time). */
    public final AtomicInteger unrecorded = new AtomicInteger();

    public AcknowledgedLoad(String tag) {
        this.tag = tag;
    }

    /** Sends requests round robin to {@code nodes} until {@code stop} says so, then waits for the calls in flight. */
    public void run(List<Node> nodes, BooleanSupplier stop) throws InterruptedException {
        Semaphore inFlight = new Semaphore(16);
        List<CompletableFuture<?>> calls = new ArrayList<>();
        String orderedAt = LocalDateTime.now().minusHours(1).withNano(0).toString();
        for (int i = 0; !stop.getAsBoolean(); i++) {
            Node node = nodes.get(i % nodes.size());
            if (!node.alive()) {
                continue;
            }
            inFlight.acquire();
            CompletableFuture<?> call;
            if (i % 8 == 3) {
                String patient = "P-" + tag + "-C" + (i % 20);
                String line = "c" + i;
                call = node.postAsync("/api/v1/charges", CHARGE.formatted(patient, line, orderedAt)).thenAccept(r -> {
                    if (r.statusCode() == 200) {
                        charges.computeIfAbsent(patient, p -> ConcurrentHashMap.newKeySet()).add(line);
                    } else {
                        failures.incrementAndGet();
                    }
                });
            } else if (i % 8 == 7 && !toDispose.isEmpty()) {
                String[] auditAndFinding = toDispose.poll();
                call = node.postAsync("/api/v1/audits/" + auditAndFinding[0] + "/dispositions", DISPOSITION.formatted(auditAndFinding[1]))
                        .thenAccept(r -> {
                            if (r.statusCode() == 204) {
                                dispositions.put(auditAndFinding[0], auditAndFinding[1]);
                            } else {
                                failures.incrementAndGet();
                            }
                        });
            } else {
                call = node.postAsync("/api/v1/audits", AUDIT.formatted("P-" + tag + "-" + (i % 50))).thenAccept(this::audited);
            }
            calls.add(call.whenComplete((r, e) -> {
                inFlight.release();
                if (e != null) {
                    failures.incrementAndGet();
                }
            }));
        }
        CompletableFuture.allOf(calls.toArray(new CompletableFuture[0])).exceptionally(e -> null).join();
    }

    private void audited(HttpResponse<String> r) {
        if (r.statusCode() != 200) {
            failures.incrementAndGet();
            return;
        }
        try {
            JsonNode answer = JSON.readTree(r.body());
            String auditId = answer.path("auditId").asText();
            audits.add(auditId);
            if (!answer.path("recorded").asBoolean(true)) {
                unrecorded.incrementAndGet();
            }
            JsonNode findings = answer.path("findings");
            if (findings.size() > 0 && toDispose.size() < 200) {
                toDispose.add(new String[] {auditId, findings.get(0).path("id").asText()});
            }
        } catch (IOException e) {
            failures.incrementAndGet();
        }
    }

    /** What {@code node} cannot find of what was acknowledged: audits, charge lines and dispositions, one string each. */
    public Lost lostOn(Node node) throws IOException, InterruptedException {
        List<String> audit = new ArrayList<>();
        List<String> charge = new ArrayList<>();
        List<String> disposition = new ArrayList<>();
        Set<String> withDisposition = new HashSet<>(dispositions.keySet());
        for (String id : audits) {
            HttpResponse<String> r = node.get("/api/v1/audits/" + id);
            if (r.statusCode() != 200) {
                audit.add(id + " (" + r.statusCode() + ")");
                continue;
            }
            if (withDisposition.remove(id)) {
                String finding = dispositions.get(id);
                JsonNode stored = JSON.readTree(r.body()).path("dispositions");
                boolean found = false;
                for (JsonNode d : stored) {
                    found |= finding.equals(d.path("findingId").asText());
                }
                if (!found) {
                    disposition.add(id + "/" + finding);
                }
            }
        }
        for (String id : withDisposition) {
            disposition.add(id + " (audit missing)");
        }
        for (Map.Entry<String, Set<String>> e : charges.entrySet()) {
            HttpResponse<String> r = node.get("/api/v1/charges/" + e.getKey());
            Set<String> stored = new HashSet<>();
            if (r.statusCode() == 200) {
                for (JsonNode l : JSON.readTree(r.body())) {
                    stored.add(l.path("lineId").asText());
                }
            }
            for (String line : e.getValue()) {
                if (!stored.contains(line)) {
                    charge.add(e.getKey() + "/" + line);
                }
            }
        }
        return new Lost(audit, charge, disposition);
    }

    public int chargeLines() {
        return charges.values().stream().mapToInt(Set::size).sum();
    }

    public String summary() {
        return audits.size() + " audits (" + unrecorded.get() + " answered recorded:false), " + chargeLines() + " charge lines, "
                + dispositions.size() + " dispositions acknowledged; " + failures.get() + " calls not acknowledged";
    }

    public record Lost(List<String> audits, List<String> charges, List<String> dispositions) {
        public int total() {
            return audits.size() + charges.size() + dispositions.size();
        }

        @Override
        public String toString() {
            return audits.size() + " audits, " + charges.size() + " charge lines, " + dispositions.size() + " dispositions lost"
                    + (total() == 0 ? "" : ", e.g. " + first(audits) + first(charges) + first(dispositions));
        }

        private static String first(List<String> l) {
            return l.isEmpty() ? "" : l.subList(0, Math.min(3, l.size())) + " ";
        }
    }
}
