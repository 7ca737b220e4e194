package com.preaudit.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.preaudit.engine.KnowledgeCsv;
import com.preaudit.engine.KnowledgeCsvException;
import com.preaudit.engine.model.KnowledgeRow;
import com.preaudit.engine.model.KnowledgeSet;
import com.preaudit.engine.model.RuleDefinition;
import com.preaudit.platform.ApiException;
import com.preaudit.platform.FieldError;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The rules-catalog layout (PRODUCT.md §5) read from a folder or a .tar.gz and written as a .tar.gz.
 * Reading collects every problem of every file before failing, so an author fixes an archive in one go.
 */
public final class CatalogArchive {

    private static final Pattern SET_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final int MAX_ENTRIES = 10_000;

    private CatalogArchive() {
    }

    /** One file of the layout, path relative to the catalog root. */
    record Entry(String path, byte[] content) { }

    public static CatalogContent readDirectory(Path dir) throws IOException {
        // the real path: a deployment often points the catalog directory at a symbolic link (catalog -> releases/…),
        // and Files.walk does not follow a link it starts from
        Path root = dir.toRealPath();
        List<Entry> entries = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                entries.add(new Entry(root.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p)));
            }
        }
        return parse(entries);
    }

    public static CatalogContent readTarGz(InputStream in, long maxBytes) {
        List<Entry> entries = new ArrayList<>();
        long total = 0;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (!e.isFile()) {
                    continue;
                }
                if (entries.size() >= MAX_ENTRIES) {
                    throw ApiException.unprocessable("the archive has more than " + MAX_ENTRIES + " files", List.of());
                }
                byte[] content = tar.readNBytes((int) Math.min(maxBytes - total + 1, Integer.MAX_VALUE - 8));
                total += content.length;
                if (total > maxBytes) {
                    throw new ApiException(413, "Content Too Large", "the archive unpacks to more than " + maxBytes + " bytes");
                }
                entries.add(new Entry(stripRoot(e.getName()), content));
            }
        } catch (IOException e) {
            throw ApiException.badRequest("the body is not a readable .tar.gz: " + e.getMessage(),
                    List.of(new FieldError("/", "not a gzip-compressed tar archive")));
        }
        return parse(entries);
    }

    /** Accepts both "rules/x.yaml" and "rules-catalog/rules/x.yaml" (or "./…"). */
    private static String stripRoot(String name) {
        String n = name.replace('\\', '/');
        while (n.startsWith("./")) {
            n = n.substring(2);
        }
        int rules = n.indexOf("rules/");
        int knowledge = n.indexOf("knowledge/");
        if (n.endsWith("catalog.yaml") && n.indexOf('/') >= 0 && !n.startsWith("rules/") && !n.startsWith("knowledge/")) {
            return "catalog.yaml";
        }
        if (rules > 0 && n.charAt(rules - 1) == '/' && n.indexOf('/') == rules - 1) {
            return n.substring(rules);
        }
        if (knowledge > 0 && n.charAt(knowledge - 1) == '/' && n.indexOf('/') == knowledge - 1) {
            return n.substring(knowledge);
        }
        return n;
    }

    static CatalogContent parse(List<Entry> entries) {
        List<FieldError> errors = new ArrayList<>();
        CatalogMeta meta = CatalogMeta.EMPTY;
        Map<String, RuleDefinition> rules = new TreeMap<>();
        Map<String, KnowledgeSet> sets = new TreeMap<>();
        boolean sawCatalog = false;
        for (Entry e : entries) {
            String path = e.path();
            String name = path.substring(path.lastIndexOf('/') + 1);
            if (name.startsWith(".")) {
                continue; // editor and OS droppings
            }
            if (path.equals("README.md")) {
                continue; // the catalog's documentation (knowledge-set columns), not catalog content
            }
            if (path.equals("catalog.yaml")) {
                sawCatalog = true;
                try {
                    meta = CatalogJson.YAML.readValue(e.content(), CatalogMeta.class);
                    if (meta == null) {
                        meta = CatalogMeta.EMPTY;
                    }
                } catch (IOException ex) {
                    errors.add(new FieldError(path, yamlMessage(ex)));
                }
            } else if (path.startsWith("rules/") && (path.endsWith(".yaml") || path.endsWith(".yml"))) {
                try {
                    RuleDefinition r = CatalogJson.YAML.readValue(e.content(), RuleDefinition.class);
                    if (r == null || r.code() == null || r.code().isBlank()) {
                        errors.add(new FieldError(path, "the rule has no code"));
                    } else if (rules.putIfAbsent(r.code(), r) != null) {
                        errors.add(new FieldError(path, "duplicate rule code " + r.code()));
                    }
                } catch (IOException ex) {
                    errors.add(new FieldError(path, yamlMessage(ex)));
                }
            } else if (path.startsWith("knowledge/") && path.endsWith(".csv") && path.indexOf('/', 10) < 0) {
                String setName = name.substring(0, name.length() - 4);
                if (!SET_NAME.matcher(setName).matches()) {
                    errors.add(new FieldError(path, "invalid knowledge set name '" + setName + "'"));
                    continue;
                }
                try {
                    sets.put(setName, KnowledgeCsv.parse(setName, new StringReader(new String(e.content(), StandardCharsets.UTF_8))));
                } catch (KnowledgeCsvException ex) {
                    ex.errors().forEach(ce -> errors.add(new FieldError(path + "#row=" + ce.row()
                            + (ce.column() == null ? "" : ",column=" + ce.column()), ce.message())));
                }
            } else {
                errors.add(new FieldError(path, "not part of the rules-catalog layout (catalog.yaml, rules/*.yaml, knowledge/*.csv)"));
            }
        }
        if (!sawCatalog && rules.isEmpty() && sets.isEmpty()) {
            errors.add(new FieldError("/", "no catalog.yaml, rules/ or knowledge/ found"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.unprocessable("the catalog archive has " + errors.size() + " error(s); nothing was imported", errors);
        }
        return new CatalogContent(meta, rules, sets);
    }

    private static String yamlMessage(IOException ex) {
        if (ex instanceof JsonProcessingException j) {
            String loc = j.getLocation() == null ? "" : " (line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() + ")";
            return j.getOriginalMessage() + loc;
        }
        return ex.getMessage();
    }

    // ---- writing -------------------------------------------------------------------------------

    public static void writeTarGz(CatalogContent content, OutputStream out) {
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            add(tar, "rules-catalog/catalog.yaml", CatalogJson.YAML.writeValueAsBytes(content.meta()));
            for (RuleDefinition r : new TreeMap<>(content.rules()).values()) {
                add(tar, "rules-catalog/rules/" + r.code() + ".yaml", CatalogJson.YAML.writeValueAsBytes(r));
            }
            for (KnowledgeSet s : new TreeMap<>(content.sets()).values()) {
                add(tar, "rules-catalog/knowledge/" + s.name() + ".csv", toCsv(s).getBytes(StandardCharsets.UTF_8));
            }
            tar.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void add(TarArchiveOutputStream tar, String name, byte[] data) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(data.length);
        e.setModTime(0); // identical content → identical archive
        tar.putArchiveEntry(e);
        tar.write(data);
        tar.closeArchiveEntry();
    }

    /** The knowledge CSV of §6; kp_id is always written first so that ids survive a round trip. */
    public static String toCsv(KnowledgeSet set) {
        List<String> columns = new ArrayList<>();
        columns.add("kp_id");
        columns.add("item_codes");
        for (String c : set.columns()) {
            if (!c.equals("kp_id") && !c.equals("item_codes")) {
                columns.add(c);
            }
        }
        StringBuilder sb = new StringBuilder();
        appendRow(sb, columns);
        List<String> cells = new ArrayList<>(columns.size());
        for (KnowledgeRow row : set.rows()) {
            cells.clear();
            cells.add(row.kpId());
            cells.add(String.join("|", row.itemCodes()));
            for (int i = 2; i < columns.size(); i++) {
                String v = row.values().get(columns.get(i));
                cells.add(v == null ? "" : v);
            }
            appendRow(sb, cells);
        }
        return sb.toString();
    }

    /** Rows given as JSON objects become CSV text so they pass the one CSV validation path. */
    public static String rowsToCsv(List<Map<String, Object>> rows) {
        List<String> columns = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            for (String k : row.keySet()) {
                if (!columns.contains(k)) {
                    columns.add(k);
                }
            }
        }
        if (!columns.contains("item_codes")) {
            columns.add(0, "item_codes");
        }
        StringBuilder sb = new StringBuilder();
        appendRow(sb, columns);
        List<String> cells = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            cells.clear();
            for (String c : columns) {
                Object v = row.get(c);
                if (v instanceof List<?> list) {
                    StringBuilder j = new StringBuilder();
                    for (Object o : list) {
                        if (j.length() > 0) {
                            j.append('|');
                        }
                        j.append(o);
                    }
                    cells.add(j.toString());
                } else {
                    cells.add(v == null ? "" : v.toString());
                }
            }
            appendRow(sb, cells);
        }
        return sb.toString();
    }

    private static void appendRow(StringBuilder sb, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            String c = cells.get(i);
            if (c.indexOf(',') >= 0 || c.indexOf('"') >= 0 || c.indexOf('\n') >= 0 || c.indexOf('\r') >= 0) {
                sb.append('"').append(c.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(c);
            }
        }
        sb.append('\n');
    }

    public static byte[] toBytes(CatalogContent content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeTarGz(content, out);
        return out.toByteArray();
    }
}
