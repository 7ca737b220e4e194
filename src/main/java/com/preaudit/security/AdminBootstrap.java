package com.preaudit.security;

import com.preaudit.platform.Roles;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * The first credential (PRODUCT.md §10). {@code PREAUDIT_ADMIN_TOKEN} ({@code preaudit.admin-token})
 * names it for containers and Kubernetes secrets; otherwise the first start on a database without
 * tokens mints one and writes it to {@code <data dir>/admin.token}, readable by the service's user
 * only. The log names the file, never the value.
 */
@ApplicationScoped
public class AdminBootstrap {

    private static final Logger LOG = Logger.getLogger(AdminBootstrap.class);
    static final String FILE = "admin.token";
    static final int MIN_LENGTH = 16;

    @Inject
    TokenStore store;

    @Inject
    TokenVerifier verifier;

    @ConfigProperty(name = "preaudit.admin-token")
    Optional<String> configured;

    @ConfigProperty(name = "preaudit.data-dir", defaultValue = "data")
    String dataDir;

    /** Where the admin token was written, when this service wrote one (this start or an earlier one). */
    private volatile Path tokenFile;

    void start(@Observes @Priority(10) StartupEvent event) {
        Optional<String> value = configured.map(String::strip).filter(v -> !v.isEmpty());
        if (value.isPresent()) {
            if (value.get().length() < MIN_LENGTH) {
                throw new IllegalStateException("PREAUDIT_ADMIN_TOKEN (preaudit.admin-token) must have at least "
                        + MIN_LENGTH + " characters");
            }
            store.ensureConfigured(value.get(), "admin", Set.of(Roles.ADMIN), "PREAUDIT_ADMIN_TOKEN")
                    .ifPresent(t -> LOG.infof("admin token from PREAUDIT_ADMIN_TOKEN stored as %s", t.id));
            // known at once, also when the database is unreachable later (degraded mode)
            verifier.verifyBlocking(value.get());
            return;
        }
        Path file = Path.of(dataDir, FILE).toAbsolutePath();
        Optional<TokenStore.Minted> minted = store.underBootstrapLock(() -> store.count() == 0
                ? Optional.of(store.mint("admin", java.util.List.of(Roles.ADMIN), null, "first start: " + file, com.preaudit.platform.Caller.SYSTEM))
                : Optional.empty());
        if (minted.isPresent()) {
            write(file, minted.get().value());
            verifier.remember(minted.get().token());
            LOG.infof("first start: an admin token was written to %s (readable by this user only)", file);
            tokenFile = file;
        } else if (Files.exists(file)) {
            tokenFile = file;
        }
    }

    /** The admin token file, if this service wrote one; empty when the token came from the environment. */
    public Optional<Path> tokenFile() {
        return Optional.ofNullable(tokenFile);
    }

    public boolean configuredFromEnvironment() {
        return configured.map(String::strip).filter(v -> !v.isEmpty()).isPresent();
    }

    /** Written to a temporary file that is 0600 from its creation, then moved into place. */
    static void write(Path file, String value) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(FILE + ".tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(tmp); // not a POSIX file system (Windows): the directory's ACL applies
            } catch (FileAlreadyExistsException e) {
                throw new IllegalStateException(e);
            }
            Files.writeString(tmp, value + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the admin token to " + file, e);
        }
    }
}
