package com.preaudit.simulation;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One impact simulation (PRODUCT.md §11): what was asked, by whom, how far it got, and its result as JSON. */
@Entity
@Table(name = "simulation")
public class Simulation extends PanacheEntityBase {

    public enum Status { RUNNING, DONE, FAILED, CANCELLED }

    @Id
    public UUID id;

    @Column(nullable = false)
    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    public Status status;

    @Column(nullable = false)
    public String candidate;

    @Column(name = "candidate_version")
    public Integer candidateVersion;

    @Column(nullable = false)
    public String baseline;

    @Column(name = "baseline_version", nullable = false)
    public int baselineVersion;

    @Column(name = "from_date", nullable = false)
    public LocalDate from;

    @Column(name = "to_date", nullable = false)
    public LocalDate to;

    public String stage;

    public String scenario;

    @Column(name = "period_start", nullable = false)
    public OffsetDateTime periodStart;

    @Column(name = "period_end", nullable = false)
    public OffsetDateTime periodEnd;

    @Column(nullable = false)
    public long replayed;

    @Column(nullable = false)
    public long total;

    public String result;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "started_at")
    public OffsetDateTime startedAt;

    @Column(name = "finished_at")
    public OffsetDateTime finishedAt;

    @Column(nullable = false)
    public String node;

    @Column(name = "failure_reason")
    public String failureReason;
}
