package com.preaudit.simulation;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Puts a simulation worker below the request threads in the operating system's scheduler. Linux ignores Java thread
 * priorities for an unprivileged JVM, but every thread has its own nice value, and raising one's own needs no
 * privilege: a worker at nice 19 gets a core only when the audits leave it idle (beside busy audit threads it gets
 * about 1.5 % of a core), so a replay runs at full speed at night and yields to the audits by day.
 */
final class BackgroundPriority {

    private static final Logger LOG = Logger.getLogger(BackgroundPriority.class);
    static final int NICE = 19;

    private BackgroundPriority() {
    }

    /** Lowers the calling thread to nice 19; false where the platform offers no way (then max-cpu is the only bound). */
    static boolean lowerCurrentThread() {
        try {
            // "<pid>/task/<tid>": the kernel's id of this thread, which renice takes like a process id
            Path self = Files.readSymbolicLink(Path.of("/proc/thread-self"));
            String tid = self.getFileName().toString();
            Process p = new ProcessBuilder("renice", "-n", Integer.toString(NICE), "-p", tid)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return true;
            }
            p.destroyForcibly();
            LOG.warnf("simulation worker %s: renice failed; it competes with the audits for CPU (bound it with preaudit.simulation.max-cpu)",
                    Thread.currentThread().getName());
            return false;
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warnf("simulation worker %s: no per-thread priority here (%s); it competes with the audits for CPU "
                    + "(bound it with preaudit.simulation.max-cpu)", Thread.currentThread().getName(), e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
