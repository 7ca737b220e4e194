package com.preaudit.loadgen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Realistic 20-line orders (PRODUCT.md §3.1) built from the national knowledge files: every order mixes
 * lines that the national rules flag for its patient (wrong gender, adult on a child-only drug, a
 * work-injury drug on resident insurance, a herb never paid, …) with lines of the same files that pass.
 * Twenty patients, so the stored-history lookups differ from one audit to the next. The bodies are
 * prepared once; only the requestId changes per request.
 */
final class Orders {

    /** A national item: code, name, type, and the file (rule class) it came from. */
    record Item(String code, String name, String type, String file, String value) { }

    /** A patient of the run and what makes some items hit for it. */
    record Patient(String id, String gender, LocalDate birthDate, String insurance, int hospitalLevel, String scenario) { }

    /** A prepared body, split around the requestId value. */
    /** A prepared body around its requestId; {@code items} in line order, {@code hits} the deliberate hits it holds. */
    record Template(byte[] head, byte[] tail, String patientId, List<Item> items, List<String> lineIds, int hits) { }

    static String lineId(Patient p, int variant, int index) {
        return p.id() + "-V" + variant + "-L" + (index + 1);
    }

    static final int LINES = 20;

    final List<Item> items = new ArrayList<>();
    final List<Patient> patients = new ArrayList<>();
    final List<Template> templates = new ArrayList<>();
    private final Random random = new Random(20250614L);

    Orders(Path knowledgeDir) throws IOException {
        try (Stream<Path> files = Files.list(knowledgeDir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".csv")).sorted().toList()) {
                readItems(f);
            }
        }
        if (items.isEmpty()) {
            throw new IllegalStateException("no items in " + knowledgeDir);
        }
        String[] genders = {"M", "F"};
        String[] insurance = {"EMPLOYEE", "RESIDENT", "EMPLOYEE", "RESIDENT", "WORK_INJURY", "MATERNITY"};
        String[] scenarios = {"OUTPATIENT", "INPATIENT", "EMERGENCY", "INPATIENT", "INTERNET"};
        for (int i = 0; i < 20; i++) {
            int age = i % 5 == 0 ? 3 + i % 9 : 25 + (i * 7) % 60; // a few children, mostly adults
            patients.add(new Patient(String.format(Locale.ROOT, "LG-P%02d", i + 1), genders[i % 2],
                    LocalDate.now().minusYears(age).minusDays(i * 11L), insurance[i % insurance.length], 1 + i % 3,
                    scenarios[i % scenarios.length]));
        }
    }

    /** Random items of the national files that are not deliberate hits for the patient (probe candidates). */
    List<Item> candidates(Patient p, int n) {
        List<Item> hits = hitsFor(p);
        List<Item> out = new ArrayList<>(n);
        while (out.size() < n) {
            Item it = items.get(random.nextInt(items.size()));
            if (!hits.contains(it) && !out.contains(it)) {
                out.add(it);
            }
        }
        return out;
    }

    /**
     * The bodies of the run: per patient, {@code variants} orders of 20 lines, the rest from {@code clean} (items a
     * probe audit passed for the patient) beside lines that hit a rule for that patient: with the {@code worst} mix
     * 2–4 of them in every order; with the {@code hospital} mix (PRODUCT.md §8) one order in ten has 1–2 of them and
     * the other nine none (variants 0 and 10 of each patient's 20).
     */
    void build(java.util.Map<String, List<Item>> clean, int variants, String mix) {
        if (!mix.equals("worst") && !mix.equals("hospital")) {
            throw new IllegalArgumentException("unknown mix " + mix + " (worst, hospital)");
        }
        templates.clear();
        for (Patient p : patients) {
            List<Item> hits = hitsFor(p);
            List<Item> pool = clean.getOrDefault(p.id(), List.of());
            for (int v = 0; v < variants; v++) {
                List<Item> chosen = new ArrayList<>(LINES);
                int nHits = mix.equals("worst") ? 2 + random.nextInt(3) : v % 10 == 0 ? 1 + random.nextInt(2) : 0;
                for (int i = 0; i < nHits && !hits.isEmpty(); i++) {
                    chosen.add(hits.get(random.nextInt(hits.size())));
                }
                int hitCount = chosen.size();
                // distinct filler items where the pool allows: the same drug twice is a finding of its own (重复用药)
                List<Item> filler = new ArrayList<>(pool.isEmpty() ? candidates(p, LINES) : pool);
                java.util.Collections.shuffle(filler, random);
                if (mix.equals("hospital")) {
                    // an order as a ward writes it: a few drugs, the rest examinations, nursing and materials (20 random
                    // restricted drugs break the drug-count and drug-share rules whatever the items)
                    List<Item> drugs = new ArrayList<>();
                    List<Item> other = new ArrayList<>();
                    for (Item it : filler) {
                        if (it.type().equals("DRUG")) {
                            drugs.add(it);
                        } else if (it.type().equals("SERVICE")) {
                            other.add(it);
                        }
                    }
                    filler.clear();
                    filler.addAll(drugs.subList(0, Math.min(3, drugs.size())));
                    filler.addAll(other);
                    if (filler.isEmpty()) {
                        filler.addAll(pool.isEmpty() ? candidates(p, LINES) : pool);
                    }
                }
                for (int i = 0; chosen.size() < LINES; i++) {
                    chosen.add(filler.get(i % filler.size()));
                }
                java.util.Collections.shuffle(chosen, random);
                Template t = template(p, v, chosen);
                templates.add(new Template(t.head(), t.tail(), t.patientId(), t.items(), t.lineIds(), hitCount));
            }
        }
    }

    private void readItems(Path file) throws IOException {
        String name = file.getFileName().toString().replace(".csv", "");
        List<List<String>> rows = Csv.parse(Files.readString(file, StandardCharsets.UTF_8));
        if (rows.size() < 2) {
            return;
        }
        List<String> header = rows.get(0);
        int codes = header.indexOf("item_codes");
        int itemName = header.indexOf("item_name");
        int value = header.size() > 3 ? 3 : -1; // the class-specific column (gender, population, …)
        String type = name.startsWith("drug-") ? "DRUG" : name.startsWith("herb-") ? "HERB" : "SERVICE";
        for (List<String> row : rows.subList(1, rows.size())) {
            if (row.size() <= Math.max(codes, itemName)) {
                continue;
            }
            String[] cs = row.get(codes).split("\\|");
            // at most two codes of a knowledge point, so that no single point dominates
            for (int i = 0; i < Math.min(2, cs.length); i++) {
                if (!cs[i].isBlank()) {
                    items.add(new Item(cs[i].trim(), row.get(itemName), type, name, value >= 0 && value < row.size() ? row.get(value) : ""));
                }
            }
        }
    }

    /** Items that the rules of their file flag for this patient. */
    private List<Item> hitsFor(Patient p) {
        List<Item> hits = new ArrayList<>();
        boolean child = p.birthDate().isAfter(LocalDate.now().minusYears(14));
        for (Item it : items) {
            boolean hit = switch (it.file()) {
                case "drug-gender", "service-gender" -> !it.value().isEmpty() && !it.value().equals(p.gender());
                case "drug-child-only", "service-child-only" -> !child;
                case "drug-work-injury-insurance" -> !p.insurance().equals("WORK_INJURY");
                case "drug-maternity-insurance" -> !p.insurance().equals("MATERNITY");
                case "drug-hospital-level" -> it.value().matches("\\d") && Integer.parseInt(it.value()) > p.hospitalLevel();
                case "herb-never-paid" -> true;
                case "drug-internet-hospital" -> p.scenario().equals("INTERNET");
                default -> false;
            };
            if (hit) {
                hits.add(it);
            }
        }
        return hits;
    }

    /** An order of {@code chosen} for the patient; line i has the id {@code <patient>-V<variant>-L<i+1>}. */
    Template template(Patient p, int variant, List<Item> chosen) {
        LocalDate day = LocalDate.now();
        String encounter = p.id() + "-E1";
        StringBuilder b = new StringBuilder(8192);
        b.append("{\"requestId\": \"");
        String head = b.toString();
        b.setLength(0);
        b.append("\", \"stage\": \"PRE_ORDER\", \"scenario\": \"").append(p.scenario()).append('"');
        b.append(", \"hospital\": {\"id\": \"H430796001\", \"level\": ").append(p.hospitalLevel()).append('}');
        b.append(", \"patient\": {\"id\": \"").append(p.id()).append("\", \"gender\": \"").append(p.gender())
                .append("\", \"birthDate\": \"").append(p.birthDate()).append("\", \"insuranceType\": \"").append(p.insurance())
                .append("\", \"pregnancy\": \"NONE\", \"chronicDiseases\": []}");
        b.append(", \"encounter\": {\"id\": \"").append(encounter).append("\", \"admittedAt\": \"").append(day.minusDays(3))
                .append("T09:30:00\", \"dischargedAt\": null, \"departmentCode\": \"1003").append(10 + variant % 7)
                .append("\", \"doctorId\": \"D").append(100 + variant % 13)
                .append("\", \"diagnoses\": [{\"code\": \"I10.x00\", \"name\": \"原发性高血压\", \"primary\": true}, ")
                .append("{\"code\": \"E11.900\", \"name\": \"2型糖尿病\", \"primary\": false}]}");
        b.append(", \"lines\": [");
        for (int i = 0; i < chosen.size(); i++) {
            Item it = chosen.get(i);
            int qty = 1 + random.nextInt(3);
            int cents = 500 + random.nextInt(50000);
            String price = (cents / 100) + "." + String.format(Locale.ROOT, "%02d", cents % 100);
            long amountCents = (long) cents * qty;
            String amount = (amountCents / 100) + "." + String.format(Locale.ROOT, "%02d", amountCents % 100);
            if (i > 0) {
                b.append(", ");
            }
            b.append("{\"id\": \"").append(lineId(p, variant, i))
                    .append("\", \"itemCode\": \"").append(json(it.code())).append("\", \"itemName\": \"").append(json(it.name()))
                    .append("\", \"itemType\": \"").append(it.type()).append("\", \"quantity\": ").append(qty)
                    .append(", \"unitPrice\": ").append(price).append(", \"listPrice\": ").append(price)
                    .append(", \"amount\": ").append(amount)
                    .append(", \"orderedAt\": \"").append(day).append(String.format(Locale.ROOT, "T%02d:%02d:00", 8 + i % 10, (i * 7) % 60))
                    .append("\", \"days\": ").append(1 + random.nextInt(7))
                    .append(", \"departmentCode\": \"100309\", \"doctorId\": \"D").append(100 + variant % 13)
                    .append("\", \"prescriptionNo\": \"RX").append(p.id()).append(variant)
                    .append("\", \"groupNo\": \"\", \"dischargeMedication\": false}");
        }
        b.append("], \"history\": []}");
        List<String> ids = new ArrayList<>(chosen.size());
        for (int i = 0; i < chosen.size(); i++) {
            ids.add(lineId(p, variant, i));
        }
        return new Template(head.getBytes(StandardCharsets.UTF_8), b.toString().getBytes(StandardCharsets.UTF_8), p.id(),
                List.copyOf(chosen), ids, 0);
    }

    /** Charges (stored history) for a patient: earlier days' lines of the same kinds of items. */
    String charges(Patient p, int count) {
        StringBuilder b = new StringBuilder("{\"patientId\": \"").append(p.id()).append("\", \"encounterId\": \"")
                .append(p.id()).append("-E1\", \"lines\": [");
        Random r = new Random(p.id().hashCode());
        for (int i = 0; i < count; i++) {
            Item it = items.get(r.nextInt(items.size()));
            if (i > 0) {
                b.append(", ");
            }
            b.append("{\"id\": \"").append(p.id()).append("-H").append(i + 1).append("\", \"itemCode\": \"").append(json(it.code()))
                    .append("\", \"itemName\": \"").append(json(it.name())).append("\", \"itemType\": \"").append(it.type())
                    .append("\", \"quantity\": 1, \"unitPrice\": 10.00, \"amount\": 10.00, \"orderedAt\": \"")
                    .append(LocalDate.now().minusDays(1 + r.nextInt(60))).append("T10:00:00\", \"days\": 1}");
        }
        return b.append("]}").toString();
    }

    static String json(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    /** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and newlines. */
    static final class Csv {
        static List<List<String>> parse(String text) {
            List<List<String>> rows = new ArrayList<>();
            List<String> row = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (quoted) {
                    if (c == '"') {
                        if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            quoted = false;
                        }
                    } else {
                        field.append(c);
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ',') {
                    row.add(field.toString());
                    field.setLength(0);
                } else if (c == '\n') {
                    row.add(field.toString());
                    field.setLength(0);
                    rows.add(row);
                    row = new ArrayList<>();
                } else if (c != '\r' && c != '\uFEFF') {
                    field.append(c);
                }
            }
            if (field.length() > 0 || !row.isEmpty()) {
                row.add(field.toString());
                rows.add(row);
            }
            return rows;
        }
    }
}
