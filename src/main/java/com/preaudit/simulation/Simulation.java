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

    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    public Status status;

    public String candidate;

    public Integer candidateVersion;

    public String baseline;

    public int baselineVersion;

    @Column(name = "from_date")
    public LocalDate from;

    @Column(name = "to_date")
    public LocalDate to;

    public String stage;

    public String scenario;

    public OffsetDateTime periodStart;

    public OffsetDateTime periodEnd;

    public long replayed;

    public long total;

    public String result;

    public String createdBy;

    public OffsetDateTime createdAt;

    public OffsetDateTime startedAt;

    public OffsetDateTime finishedAt;

    public String node;

    public String failureReason;
}
