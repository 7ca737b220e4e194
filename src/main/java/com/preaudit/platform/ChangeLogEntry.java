package com.preaudit.platform;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/** One accountable change (PRODUCT.md §10): who, when, what, on what, and the note they gave. */
@Entity
@Table(name = "change_log")
public class ChangeLogEntry extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public OffsetDateTime at;

    public String subject;

    public String action;

    public String target;

    public String note;
}
