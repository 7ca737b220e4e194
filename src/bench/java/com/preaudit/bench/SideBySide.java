package com.preaudit.bench;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongUnaryOperator;

/**
 * A/B of several trees' engines in one JVM, each tree's classes in its own class loader, measured interleaved
 * (A B B A ...): the thread's CPU nanoseconds and bytes allocated per audit of the benchmark's order. Not a JMH
 * benchmark and not the headline; a way to see the ratio of two builds while other work runs on the machine (both
 * sides suffer the same disturbance, and CPU time does not count waiting). Each tree must hold {@link EngineSide}
 * (copy the file into an older tree) and {@code target/cp.txt}, its bench classpath:
 *
 * <pre>
 * mvn -B -q -o -Pbench test-compile exec:exec -Dexec.args="-cp %classpath com.preaudit.bench.SideBySide --cp target/cp.txt"
 * java -Xmx3g -Dpreaudit.knowledge.dir=... -cp target/test-classes com.preaudit.bench.SideBySide LINES ROUNDS AUDITS \
 *      A=/path/to/treeA B=/path/to/treeB
 * </pre>
 */
public final class SideBySide {
    private SideBySide() {}

    public static void main(String[] a) throws Exception {
        if (a.length == 2 && a[0].equals("--cp")) {   // write this JVM's class path for the other invocation
            Files.writeString(Path.of(a[1]), System.getProperty("java.class.path"));
            return;
        }
        int lines = Integer.parseInt(a[0]);
        int rounds = Integer.parseInt(a[1]);
        int n = Integer.parseInt(a[2]);
        List<String> names = new ArrayList<>();
        List<LongUnaryOperator> sides = new ArrayList<>();
        for (int i = 3; i < a.length; i++) {
            String[] kv = a[i].split("=", 2);   // name=repoDir (repoDir/target/cp.txt holds the classpath)
            Path repo = Path.of(kv[1]);
            String cp = Files.readString(repo.resolve("target/cp.txt")).trim();
            List<URL> urls = new ArrayList<>();
            for (String e : cp.split(":")) urls.add(Path.of(e).toUri().toURL());
            URLClassLoader l = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
            System.setProperty("preaudit.repo.dir", repo.toString());
            Thread.currentThread().setContextClassLoader(l);
            LongUnaryOperator s = (LongUnaryOperator) Class.forName("com.preaudit.bench.EngineSide", true, l)
                .getConstructor(Integer.class).newInstance(lines);
            names.add(kv[0]);
            sides.add(s);
        }
        for (LongUnaryOperator s : sides) s.applyAsLong(30_000);   // warm-up
        for (LongUnaryOperator s : sides) s.applyAsLong(30_000);
        double[][] ns = new double[sides.size()][rounds];
        double[][] bytes = new double[sides.size()][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < sides.size(); k++) {
                int j = r % 2 == 0 ? k : sides.size() - 1 - k;
                ns[j][r] = sides.get(j).applyAsLong(n) / (double) n;
                bytes[j][r] = sides.get(j).applyAsLong(-2000) / 2000.0;
            }
        }
        for (int k = 0; k < sides.size(); k++) {
            double[] c = ns[k].clone(); Arrays.sort(c);
            double[] b = bytes[k].clone(); Arrays.sort(b);
            System.out.printf("%-10s median %.0f ns/audit (min %.0f, q1 %.0f, q3 %.0f) CPU; %.0f B/audit%n", names.get(k),
                c[c.length / 2], c[0], c[c.length / 4], c[3 * c.length / 4], b[b.length / 2]);
        }
    }
}
