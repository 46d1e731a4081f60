package org.modelmarket.stack.test;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Marks a test field of type {@link org.modelmarket.stack.LocalStack} that {@link LocalStackResource} fills, e.g. to stop and restart Kafka. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface InjectLocalStack {}
