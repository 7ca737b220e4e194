package com.preaudit.catalog;

import com.preaudit.platform.DaemonThreads;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.IntConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Listens on PostgreSQL channel {@value #CHANNEL} for "version N is now active" and calls back;
 * every {@code pollInterval} it also calls back with -1 so the owner can compare its active version
 * with the database (a node that was disconnected when the NOTIFY went out catches up that way).
 * Plain JDBC and its own connection: LISTEN needs a session that a pool would hand to others.
 */
public final class CatalogNotifier implements AutoCloseable {

    public static final String CHANNEL = "preaudit_catalog";
    private static final Logger LOG = Logger.getLogger(CatalogNotifier.class.getName());

    private final String url;
    private final String user;
    private final String password;
    private final Duration pollInterval;
    private final IntConsumer onVersion;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean listening;
    private volatile Connection connection;

    public CatalogNotifier(String url, String user, String password, Duration pollInterval, IntConsumer onVersion) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.pollInterval = pollInterval;
        this.onVersion = onVersion;
        this.thread = DaemonThreads.named("catalog-listener").newThread(this::loop);
    }

    public CatalogNotifier start() {
        thread.start();
        return this;
    }

    /** True once LISTEN has been issued on a live connection. */
    public boolean listening() {
        return listening;
    }

    /** The SQL a publisher runs inside its transaction; PostgreSQL delivers it at commit. */
    public static String notifySql() {
        return "SELECT pg_notify('" + CHANNEL + "', ?)";
    }

    private void loop() {
        long nextPoll = System.nanoTime() + pollInterval.toNanos();
        long backoffMillis = 500;
        while (running) {
            try {
                if (connection == null || connection.isClosed()) {
                    connect();
                    backoffMillis = 500;
                    onVersion.accept(-1); // catch up on what happened while we were away
                }
                PGNotification[] notes = connection.unwrap(PGConnection.class).getNotifications(500);
                if (notes != null) {
                    for (PGNotification n : notes) {
                        deliver(n.getParameter());
                    }
                }
                if (System.nanoTime() - nextPoll >= 0) {
                    nextPoll = System.nanoTime() + pollInterval.toNanos();
                    onVersion.accept(-1);
                }
            } catch (SQLException | RuntimeException e) {
                listening = false;
                closeQuietly();
                if (!running) {
                    return;
                }
                LOG.log(Level.FINE, "catalog listener lost its connection; retrying", e);
                sleep(backoffMillis);
                backoffMillis = Math.min(backoffMillis * 2, 10_000);
            }
        }
    }

    private void deliver(String payload) {
        try {
            onVersion.accept(Integer.parseInt(payload.trim()));
        } catch (NumberFormatException e) {
            LOG.warning("ignoring catalog notification with payload '" + payload + "'");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "catalog change for version " + payload + " could not be applied", e);
        }
    }

    private void connect() throws SQLException {
        Connection c = DriverManager.getConnection(url, user, password);
        try (Statement st = c.createStatement()) {
            st.execute("LISTEN " + CHANNEL);
        }
        connection = c;
        listening = true;
    }

    private void closeQuietly() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already broken
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        closeQuietly();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
