package org.modelmarket.artifact.blob.s3;

import org.modelmarket.artifact.config.ArtifactConfig;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Builds the AWS SDK's S3 client and presigner from {@code modelmarket.artifact.blob.s3.*}, alike in both. */
final class S3Clients {

    private S3Clients() {}

    static S3Client client(ArtifactConfig.Blob.S3 config) {
        var builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(credentials(config))
                .serviceConfiguration(serviceConfiguration(config));
        config.endpoint().ifPresent(builder::endpointOverride);
        config.region().map(Region::of).ifPresent(builder::region);
        return builder.build();
    }

    static S3Presigner presigner(ArtifactConfig.Blob.S3 config) {
        var builder = S3Presigner.builder()
                .credentialsProvider(credentials(config))
                .serviceConfiguration(serviceConfiguration(config));
        config.endpoint().ifPresent(builder::endpointOverride);
        config.region().map(Region::of).ifPresent(builder::region);
        return builder.build();
    }

    private static S3Configuration serviceConfiguration(ArtifactConfig.Blob.S3 config) {
        return S3Configuration.builder()
                .pathStyleAccessEnabled(config.pathStyleAccess())
                .build();
    }

    private static AwsCredentialsProvider credentials(ArtifactConfig.Blob.S3 config) {
        if (config.accessKeyId().isPresent() != config.secretAccessKey().isPresent()) {
            throw new IllegalArgumentException("modelmarket.artifact.blob.s3.access-key-id and secret-access-key go"
                    + " together: set both, or neither to use the AWS SDK's default credentials");
        }
        return config.accessKeyId().isPresent()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        config.accessKeyId().get(), config.secretAccessKey().get()))
                : DefaultCredentialsProvider.builder().build();
    }
}
