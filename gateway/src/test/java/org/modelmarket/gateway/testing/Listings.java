package org.modelmarket.gateway.testing;

/** Sample downstream bodies shaped as the contract describes them. */
public final class Listings {

    public static final String RESNET = """
            {"listingId":"6f1c2d9e-4b7a-4c1e-9a35-2f0e8d1b7c40","id":"acme/resnet-50","namespace":"acme",
             "name":"resnet-50","title":"ResNet-50","summary":"Residual network","modality":"image",
             "task":"image-classification","license":"apache-2.0","tags":["vision"],"languages":["en"],
             "frameworks":["pytorch"],"priceType":"free","visibility":"public","status":"published",
             "owners":["alice"],"version":1,"createdAt":"2026-11-22T10:00:00Z","updatedAt":"2026-11-22T10:00:00Z"}
            """;

    public static final String NEW_RESNET = """
            {"namespace":"acme","name":"resnet-50","title":"ResNet-50","summary":"Residual network",
             "modality":"image","task":"image-classification","license":"apache-2.0","tags":["vision"],
             "languages":["en"],"frameworks":["pytorch"],"priceType":"free"}
            """;

    private Listings() {}

    /** A problem+json body as a downstream service would send it. */
    public static String problem(int status, String title, String detail) {
        return """
                {"type":"https://modelmarket.org/problems/downstream-%d","title":"%s","status":%d,"detail":"%s",\
                "instance":"/api/v1/x"}""".formatted(status, title, status, detail);
    }

    /** A problem+json body of the product's type {@code slug} ({@code https://modelmarket.org/problems/<slug>}). */
    public static String problem(String slug, int status, String title, String detail) {
        return """
                {"type":"https://modelmarket.org/problems/%s","title":"%s","status":%d,"detail":"%s",\
                "instance":"/api/v1/x"}""".formatted(slug, title, status, detail);
    }
}
