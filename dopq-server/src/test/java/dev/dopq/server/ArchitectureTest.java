package dev.dopq.server;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaConstructorCall;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Timer;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Keeps the domain core pure and the lower modules ignorant of the queue (CONVENTIONS.md 1 and 14).
 * <p>
 * Rules are checked from {@code @ArchTest} methods, not fields: Surefire 3.5.3 silently skips {@code @ArchTest}
 * fields (TNG/ArchUnit#1442), which would make these rules pass without running.
 */
@AnalyzeClasses(packages = "dev.dopq", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /**
     * What the core may use, as an allow-list: the language, collections and their functional/stream views, numbers,
     * time values, and itself. Not java.util.concurrent (the core runs no threads; callers synchronize), not java.io or
     * java.nio (no files), not java.time's clocks beyond values handed in (see {@link #CORE_READS_NO_CLOCK}).
     */
    private static final ArchRule CORE_IS_PURE = classes()
            .that().resideInAPackage("..server.core..")
            .should().onlyDependOnClassesThat(resideInAnyPackage("java.lang", "java.util", "java.util.function",
                    "java.util.stream", "java.math", "java.time", "java.time.temporal", "dev.dopq.server.core..")
                    .or(DescribedPredicate.describe("are primitives or arrays",
                            (JavaClass type) -> type.isPrimitive() || type.isArray())))
            .because("the job model, penalties and scheduling take values and return values");

    /** The classes that may talk docker-java: docker-helper, container-handler's Docker* classes, server.engine, server.backend (each backend wires the engine it drives). */
    private static final DescribedPredicate<JavaClass> DOCKER_ADAPTERS = resideInAnyPackage(
            "dev.dopq.docker..", "dev.dopq.server.engine..", "dev.dopq.server.backend..")
            .or(new DescribedPredicate<JavaClass>("are container-handler's Docker* classes") {
                @Override
                public boolean test(JavaClass c) {
                    return c.getName().startsWith("dev.dopq.container.Docker");
                }
            });

    private static final ArchRule DOCKER_JAVA_ONLY_IN_ADAPTERS = noClasses()
            .that(DescribedPredicate.not(DOCKER_ADAPTERS))
            .should().dependOnClassesThat().resideInAPackage("com.github.dockerjava..")
            .because("the server runs against any ContainerRuntime and Images; only the adapters know Docker");

    private static final ArchRule ONE_WAY_TO_MAKE_A_THREAD = noClasses()
            .that().resideInAPackage("dev.dopq.server..").and().resideOutsideOfPackage("dev.dopq.server.util")
            .should().dependOnClassesThat().belongToAnyOf(Executors.class, ThreadPoolExecutor.class,
                    ScheduledThreadPoolExecutor.class, ForkJoinPool.class, Timer.class)
            .orShould().callConstructorWhere(DescribedPredicate.describe("a Thread is constructed",
                    (JavaConstructorCall call) -> call.getTargetOwner().isAssignableTo(Thread.class)))
            .because("threads are named, pools bounded and stopped in order with one deadline: util.Workers");

    private static final ArchRule NO_PACKAGE_CYCLES = slices()
            .matching("dev.dopq.server.(*)..")
            .should().beFreeOfCycles()
            .because("packages are concerns with one-way dependencies (CONVENTIONS.md 14)");

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
    static void the_core_depends_only_on_the_language_collections_time_and_itself(JavaClasses classes) {
        CORE_IS_PURE.check(classes);
    }

    @ArchTest
    static void docker_java_is_used_only_inside_the_engine_adapters(JavaClasses classes) {
        DOCKER_JAVA_ONLY_IN_ADAPTERS.check(classes);
    }

    @ArchTest
    static void threads_and_pools_are_made_only_by_util_workers(JavaClasses classes) {
        ONE_WAY_TO_MAKE_A_THREAD.check(classes);
    }

    @ArchTest
    static void the_server_packages_have_no_cycles(JavaClasses classes) {
        NO_PACKAGE_CYCLES.check(classes);
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
