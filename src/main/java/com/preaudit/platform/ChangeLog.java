package com.preaudit.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The change log (PRODUCT.md §10): every catalog change, token and exemption event with its subject.
 * {@link #record} joins the caller's transaction, so an entry commits exactly when the change it
 * describes does, and a change that rolls back leaves no entry.
 */
@ApplicationScoped
public class ChangeLog {

    @Inject
    Instance<Caller> caller;

    /** Records a change by the calling subject ({@link Caller#SYSTEM} outside a request). */
    @Transactional(Transactional.TxType.REQUIRED)
    public ChangeLogEntry record(String action, String target, String note) {
        return recordAs(currentSubject(), action, target, note);
    }

    /** Records a change made by the given subject (the service itself, or work carried for a user). */
    @Transactional(Transactional.TxType.REQUIRED)
    public ChangeLogEntry recordAs(String subject, String action, String target, String note) {
        ChangeLogEntry e = new ChangeLogEntry();
        e.at = OffsetDateTime.now(ZoneOffset.UTC);
        e.subject = subject;
        e.action = action;
        e.target = target;
        e.note = note;
        e.persist();
        return e;
    }

    /** Entries in [from, to) newest first, optionally of one subject. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<ChangeLogEntry> list(OffsetDateTime from, OffsetDateTime to, String subject, int limit) {
        StringBuilder q = new StringBuilder("at >= ?1 and at < ?2");
        if (subject != null) {
            q.append(" and subject = ?3");
        }
        q.append(" order by at desc, id desc");
        var query = subject == null
                ? ChangeLogEntry.<ChangeLogEntry>find(q.toString(), from, to)
                : ChangeLogEntry.<ChangeLogEntry>find(q.toString(), from, to, subject);
        return query.page(0, limit).list();
    }

    /** The calling subject, as {@link #record} stores it ({@link Caller#SYSTEM} outside a request). */
    public String subject() {
        return currentSubject();
    }

    private String currentSubject() {
        // No request, or no credential on it (start-up import, scheduled work): every endpoint that
        // changes something requires a credential, so only the service itself acts anonymously.
        if (!io.quarkus.arc.Arc.container().requestContext().isActive()) {
            return Caller.SYSTEM;
        }
        String subject = caller.get().subject();
        return Caller.ANONYMOUS.equals(subject) ? Caller.SYSTEM : subject;
    }
}
