package org.modelmarket.platform.testapp;

import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** The test app's aggregate. */
@Entity
public class Widget extends PanacheEntityBase {

    @Id
    public UUID id;

    public String name;

    public long revision;
}
