package dev.dopq.server;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import java.io.File;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Keeps the domain core pure and the lower modules ignorant of the queue (CONVENTIONS.md 1 and 14).
 * <p>
 * Rules are checked from {@code @ArchTest} methods, not fields: Surefire 3.5.3 silently skips {@code @ArchTest}
 * fields (TNG/ArchUnit#1442), which would make these rules pass without running.
 */
@AnalyzeClasses(packages = "dev.dopq", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final ArchRule CORE_IS_PURE = noClasses()
            .that().resideInAPackage("..server.core..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "com.github.dockerjava..", "java.sql..", "javax.sql..", "java.rmi..", "java.nio.file..",
                    "oshi..", "com.sun.jna..", "org.h2..", "com.zaxxer.hikari..")
            .orShould().dependOnClassesThat().belongToAnyOf(File.class)
            .because("the job model, penalties and scheduling take values and return values");

    private static final ArchRule CORE_READS_NO_CLOCK = noClasses()
            .that().resideInAPackage("..server.core..")
            .should().callMethod(Instant.class, "now")
            .orShould().callMethod(LocalDateTime.class, "now")
            .orShould().callMethod(System.class, "currentTimeMillis")
            .orShould().callMethod(System.class, "nanoTime")
            .orShould().callMethod(Clock.class, "systemUTC")
            .orShould().callMethod(Clock.class, "systemDefaultZone")
            .because("tests move a clock instead of sleeping; time comes in as arguments");

    private static final ArchRule LOWER_MODULES_DO_NOT_KNOW_THE_QUEUE = noClasses()
            .that().resideInAnyPackage("dev.dopq.docker..", "dev.dopq.container..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.dopq.server..", "dev.dopq.api..")
            .because("dependencies point one way: dopq-server -> container-handler -> docker-helper");

    private static final ArchRule A_ZIP_PATH_READS_ONE_WAY = noClasses()
            .that().resideInAnyPackage("..server.queue..", "..server.rmi..", "..server.finish..")
            .should().dependOnClassesThat().resideInAPackage("..server.provider..")
            .because("a zip goes provider -> queue -> finish; nothing calls back into intake "
                    + "(the API takes uploads through service.Submissions)");

    private static final ArchRule FINISH_IS_FED_NOT_CALLED_BACK = noClasses()
            .that().resideInAPackage("..server.finish..")
            .should().dependOnClassesThat().resideInAnyPackage("..server.queue..", "..server.rmi..")
            .because("the finish stage is fed by terminal transitions and calls no stage before it");

    @ArchTest
    static void queue_rmi_and_finish_never_reach_back_into_the_provider(JavaClasses classes) {
        A_ZIP_PATH_READS_ONE_WAY.check(classes);
    }

    @ArchTest
    static void the_finish_stage_depends_on_no_earlier_stage(JavaClasses classes) {
        FINISH_IS_FED_NOT_CALLED_BACK.check(classes);
    }

    @ArchTest
    static void the_core_touches_no_docker_database_rmi_files_or_native_code(JavaClasses classes) {
        CORE_IS_PURE.check(classes);
    }

    @ArchTest
    static void the_core_gets_time_as_arguments(JavaClasses classes) {
        CORE_READS_NO_CLOCK.check(classes);
    }

    @ArchTest
    static void docker_helper_and_container_handler_know_nothing_of_the_queue_or_the_api(JavaClasses classes) {
        LOWER_MODULES_DO_NOT_KNOW_THE_QUEUE.check(classes);
    }
}
