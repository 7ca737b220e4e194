package com.preaudit.catalog;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/**
 * The approval of one published version (four-eyes publishing, PRODUCT.md §11): PENDING until another
 * rule-publisher approves or anyone with the right rejects it; APPROVED at once when approval is not required.
 */
@Entity
@Table(name = "catalog_approval")
public class CatalogApproval extends PanacheEntityBase {

    public static final String PENDING = "PENDING";
    public static final String APPROVED = "APPROVED";
    public static final String REJECTED = "REJECTED";

    @Id
    public Integer version;

    public String status;

    public String publishedBy;

    public OffsetDateTime publishedAt;

    public String decidedBy;

    public OffsetDateTime decidedAt;

    public String note;
}
