package dev.perennial.worker.userapp;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A user's own Spring Boot application: nothing of Perennial's but the dependency. */
@SpringBootApplication
public class UserApplication {}
