package com.preaudit.audit;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The COPY text encoding: what PostgreSQL reads back must be exactly the value written. */
class CopyRowsTest {

    private static String rows(CopyRows r) {
        return new String(Arrays.copyOf(r.buffer(), r.size()), StandardCharsets.UTF_8);
    }

    @Test
    void escapesTheFourSpecialBytesAndNothingElse() {
        CopyRows r = new CopyRows();
        r.utf8("{\"a\":\"x\\\"y\"}\r\n\t宫内\\".getBytes(StandardCharsets.UTF_8)).text(null).text("a\tb\u0000c")
                .number(7).number((BigDecimal) null).number(new BigDecimal("12.50")).bool(true)
                .textArray(List.of("X\"1", "Y\\2"));
        r.endRow();
        assertEquals("{\"a\":\"x\\\\\"y\"}\\r\\n\\t宫内\\\\\t\\N\ta\\tb\uFFFDc\t7\t\\N\t12.50\tt\t{\"X\\\\\"1\",\"Y\\\\\\\\2\"}\n", rows(r));
    }

    @Test
    void documentsWithoutSpecialBytesAreCopiedAsTheyAre() {
        CopyRows r = new CopyRows();
        byte[] big = "{\"k\":\"值\"}".repeat(20_000).getBytes(StandardCharsets.UTF_8);   // beyond the initial buffer
        r.utf8(big).utf8(new byte[0]);
        r.endRow();
        assertEquals(new String(big, StandardCharsets.UTF_8) + "\t\n", rows(r));
    }
}
