package org.modelmarket.catalog.taxonomy;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Serves the controlled vocabulary of modalities and tasks. */
@Path("/api/v1/taxonomy")
@Tag(name = "Taxonomy")
public class TaxonomyResource {

    @GET
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Modalities and their tasks (every Hugging Face pipeline task plus the study's subtypes)")
    public Taxonomy.Tree get() {
        return Taxonomy.TREE;
    }
}
