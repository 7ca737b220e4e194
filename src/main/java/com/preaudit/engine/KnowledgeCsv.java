package com.preaudit.engine;

import com.preaudit.engine.model.KnowledgeRow;
import com.preaudit.engine.model.KnowledgeSet;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parser of knowledge CSV files (PRODUCT §6): UTF-8 (a leading BOM is ignored), one header row, RFC 4180 quoting
 * (quoted fields may hold commas, doubled quotes and line breaks), CRLF or LF record ends, blank lines ignored.
 *
 * <p>{@code item_codes} is required: codes separated by {@code |}, a trailing {@code *} makes a prefix pattern.
 * {@code kp_id} is optional; a blank one is generated from the row content ("KP-" + 16 hex digits of its SHA-256),
 * so it is stable across imports of the same row. Values are trimmed; {@link KnowledgeRow#values()} holds every
 * column except {@code kp_id} and {@code item_codes}, in header order.
 *
 * <p>Every error is collected (row = 1-based record number, the header being row 1) and reported together in a
 * {@link KnowledgeCsvException}; nothing is returned from a file with errors.
 */
public final class KnowledgeCsv {
    public static final String ITEM_CODES = "item_codes";
    public static final String KP_ID = "kp_id";
    private static final int MAX_ERRORS = 1000;

    private KnowledgeCsv() {}

    /**
     * Parses one knowledge set.
     *
     * @throws KnowledgeCsvException with all errors found
     * @throws UncheckedIOException when the reader fails
     */
    public static KnowledgeSet parse(String name, Reader csv) {
        char[] text = readAll(csv);
        List<CsvError> errors = new ArrayList<>();
        Tokenizer tk = new Tokenizer(text, errors);

        List<String> header = tk.nextRecord();
        if (header == null) {
            errors.add(new CsvError(1, null, "empty file: a header row with an item_codes column is required"));
            throw new KnowledgeCsvException(errors);
        }
        int headerRow = tk.recordNo;
        List<String> columns = new ArrayList<>(header.size());
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            String col = header.get(i).trim();
            if (i == 0 && !col.isEmpty() && col.charAt(0) == '\uFEFF') col = col.substring(1).trim();
            if (col.isEmpty()) {
                errors.add(new CsvError(headerRow, null, "empty column name at position " + (i + 1)));
            } else if (index.putIfAbsent(col, i) != null) {
                errors.add(new CsvError(headerRow, col, "duplicate column '" + col + "'"));
            }
            columns.add(col);
        }
        tk.columns = columns;
        Integer codesCol = index.get(ITEM_CODES);
        if (codesCol == null) errors.add(new CsvError(headerRow, ITEM_CODES, "missing required column item_codes"));
        Integer idCol = index.get(KP_ID);

        List<KnowledgeRow> rows = new ArrayList<>();
        Map<String, Integer> ids = new HashMap<>();
        List<String> record;
        while ((record = tk.nextRecord()) != null && errors.size() < MAX_ERRORS) {
            int rowNo = tk.recordNo;
            if (tk.recordHadError) continue;   // its fields are unreliable: no cascade of follow-up errors
            if (record.size() != columns.size()) {
                errors.add(new CsvError(rowNo, null,
                    "expected " + columns.size() + " fields, found " + record.size()));
                continue;
            }
            if (codesCol == null) continue;
            List<String> codes = codes(record.get(codesCol), rowNo, errors);
            LinkedHashMap<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                if (i == codesCol || idCol != null && i == idCol) continue;
                values.put(columns.get(i), record.get(i).trim());
            }
            String id = idCol == null ? "" : record.get(idCol).trim();
            if (id.isEmpty()) id = generatedId(record, idCol == null ? -1 : idCol);
            Integer first = ids.putIfAbsent(id, rowNo);
            if (first != null) {
                if (idCol != null && !record.get(idCol).isBlank()) {
                    errors.add(new CsvError(rowNo, KP_ID, "duplicate kp_id '" + id + "' (first in row " + first + ")"));
                    continue;
                }
                // identical content without an explicit id: keep both rows, distinct ids
                int n = 2;
                while (ids.putIfAbsent(id + "-" + n, rowNo) != null) n++;
                id = id + "-" + n;
            }
            if (codes != null) rows.add(new KnowledgeRow(id, codes, Collections.unmodifiableMap(values)));
        }
        if (!errors.isEmpty()) throw new KnowledgeCsvException(errors);
        return new KnowledgeSet(name, List.copyOf(columns), Collections.unmodifiableList(rows));
    }

    /** Splits and checks an item_codes cell; returns null (after recording errors) when invalid. */
    static List<String> codes(String cell, int rowNo, List<CsvError> errors) {
        String v = cell.trim();
        if (v.isEmpty()) {
            errors.add(new CsvError(rowNo, ITEM_CODES, "missing item_codes"));
            return null;
        }
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        boolean ok = true;
        int from = 0;
        while (from <= v.length()) {
            int bar = v.indexOf('|', from);
            if (bar < 0) bar = v.length();
            String code = v.substring(from, bar).trim();
            String problem = codeProblem(code);
            if (problem != null) {
                errors.add(new CsvError(rowNo, ITEM_CODES, problem));
                ok = false;
            } else if (seen.add(code)) {
                out.add(code);
            }
            from = bar + 1;
        }
        return ok ? Collections.unmodifiableList(out) : null;
    }

    /** Why a single code is invalid, or null. Shared with catalog compilation of JSON-supplied rows. */
    public static String codeProblem(String code) {
        if (code == null || code.isEmpty()) return "empty code in item_codes";
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (Character.isWhitespace(c)) return "code '" + code + "' contains whitespace";
            if (c == '*' && i != code.length() - 1) return "'*' is only allowed at the end of a code: '" + code + "'";
            if (c == '"' || c == ',') return "code '" + code + "' contains '" + c + "'";
        }
        if (code.equals("*")) return "a bare '*' would match every code";
        return null;
    }

    private static String generatedId(List<String> record, int idCol) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (int i = 0; i < record.size(); i++) {
                if (i == idCol) continue;
                md.update(record.get(i).trim().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0x1f);
            }
            byte[] h = md.digest();
            StringBuilder sb = new StringBuilder("KP-");
            for (int i = 0; i < 8; i++) {
                sb.append(Character.forDigit((h[i] >> 4) & 0xf, 16)).append(Character.forDigit(h[i] & 0xf, 16));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);   // SHA-256 is mandatory on every JVM
        }
    }

    private static char[] readAll(Reader r) {
        try {
            char[] buf = new char[8192];
            int n = 0;
            for (int k; (k = r.read(buf, n, buf.length - n)) >= 0; ) {
                n += k;
                if (n == buf.length) buf = Arrays.copyOf(buf, buf.length * 2);
            }
            int off = n > 0 && buf[0] == '\uFEFF' ? 1 : 0;
            return Arrays.copyOfRange(buf, off, n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** RFC 4180 record reader over the whole text; quote errors are recorded, parsing continues. */
    private static final class Tokenizer {
        private final char[] s;
        private final List<CsvError> errors;
        private int pos;
        int recordNo;
        boolean recordHadError;
        List<String> columns;   // header, once read: names the column of a quoting error
        private final StringBuilder field = new StringBuilder();

        Tokenizer(char[] s, List<CsvError> errors) {
            this.s = s;
            this.errors = errors;
        }

        private void error(int field, String message) {
            recordHadError = true;
            String col = columns != null && field < columns.size() ? columns.get(field) : null;
            errors.add(new CsvError(recordNo, col, message));
        }

        /** Next non-blank record, or null at the end. */
        List<String> nextRecord() {
            while (pos < s.length) {
                recordNo++;
                recordHadError = false;
                List<String> rec = record();
                if (rec.size() == 1 && rec.get(0).isEmpty()) continue;   // blank line
                return rec;
            }
            return null;
        }

        private List<String> record() {
            List<String> out = new ArrayList<>();
            while (true) {
                field.setLength(0);
                if (pos < s.length && s[pos] == '"') {
                    int open = pos++;
                    boolean closed = false;
                    while (pos < s.length) {
                        char c = s[pos++];
                        if (c == '"') {
                            if (pos < s.length && s[pos] == '"') {
                                field.append('"');
                                pos++;
                            } else {
                                closed = true;
                                break;
                            }
                        } else {
                            field.append(c);
                        }
                    }
                    if (!closed) {
                        error(out.size(), "unterminated quoted field starting at offset " + open);
                    } else if (pos < s.length && s[pos] != ',' && s[pos] != '\n' && s[pos] != '\r') {
                        error(out.size(), "unexpected character after closing quote in field " + (out.size() + 1));
                        while (pos < s.length && s[pos] != ',' && s[pos] != '\n' && s[pos] != '\r') {
                            field.append(s[pos++]);
                        }
                    }
                } else {
                    int st = pos;
                    while (pos < s.length && s[pos] != ',' && s[pos] != '\n' && s[pos] != '\r') {
                        if (s[pos] == '"' && !recordHadError) {
                            error(out.size(), "quote inside an unquoted field " + (out.size() + 1)
                                + " (quote the whole field and double the quote)");
                            // the rest of the field is taken literally so that parsing can continue
                        }
                        pos++;
                    }
                    field.append(s, st, pos - st);
                }
                out.add(field.toString());
                if (pos >= s.length) return out;
                char c = s[pos++];
                if (c == ',') continue;
                if (c == '\r' && pos < s.length && s[pos] == '\n') pos++;
                return out;
            }
        }
    }
}
