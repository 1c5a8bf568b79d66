package dev.dopq.server.provider;

import dev.dopq.docker.Messages;
import dev.dopq.server.files.Trees;
import dev.dopq.server.files.SourceInfo;
import dev.dopq.server.files.JobFolder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dopq.container.JobSpec;
import dev.dopq.container.JobList;
import dev.dopq.container.JobListParser;
import dev.dopq.container.SpecPolicy;
import dev.dopq.container.SpecRejectedException;
import dev.dopq.docker.ImageBuildException;
import dev.dopq.docker.ImageBuildTimeoutException;
import dev.dopq.docker.Images;
import dev.dopq.docker.SafeZipExtractor;
import dev.dopq.docker.ZipBuildContext;
import dev.dopq.docker.ZipRejectedException;
import dev.dopq.docker.BuildContext;
import dev.dopq.server.config.DopqConfig.Provider.Identity;
import dev.dopq.server.core.IllegalTransitionException;
import dev.dopq.server.core.Job;
import dev.dopq.server.core.PriorityLimits;
import dev.dopq.server.core.Quotas;
import dev.dopq.server.service.Dependencies;
import dev.dopq.server.core.JobState;
import dev.dopq.server.service.Accounts;
import dev.dopq.server.service.Jobs;
import dev.dopq.server.service.UserNames;
import dev.dopq.server.store.StaleJobException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Turns a RECEIVED job into a QUEUED one: extract the zip safely, validate container_config.json, build or
 * load the image. Every refusal ends the job REJECTED (bad input) or FAILED (build error) with a one-line
 * reason; the finish stage then gives the zip back in the share's {@code failed/} folder with that reason.
 */
public final class JobPreparer {
    private static final Logger LOG = LoggerFactory.getLogger(JobPreparer.class);
    private static final String ACTOR = "provider";
    private static final String CONFIG = "container_config.json";
    /** Far more than any job list; container_config.json is read whole into memory, so bounded. */
    private static final long MAX_CONFIG_BYTES = 16L * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final Jobs jobs;
    private final SafeZipExtractor extractor;
    private final Images images;
    private final Accounts accounts;
    private final Supplier<SpecPolicy> policy;
    private final ZipIdentity identity;
    private final String instance;
    private volatile Supplier<Quotas> quotas = () -> Quotas.NONE;
    private volatile PriorityLimits priorities = PriorityLimits.NONE;
    private final ArrayExpansion arrays;
    private final JobListExpansion lists;
    private volatile Dependencies dependencies;
    private final long defaultMemoryBytes;

    /**
     * @param identity  the {@code [provider] identity} rule
     * @param inboxName the inbox folder's name, for reasons that tell users where to put a zip
     */
    public JobPreparer(Jobs jobs, SafeZipExtractor extractor, Images images, Accounts accounts,
                       Supplier<SpecPolicy> policy, Identity identity, String inboxName, String instance) {
        this(jobs, extractor, images, accounts, policy, identity, inboxName, instance, 0);
    }

    /** {@code defaultMemoryBytes}: the memory limit of a job whose spec asks for none (0 = no limit). */
    public JobPreparer(Jobs jobs, SafeZipExtractor extractor, Images images, Accounts accounts,
                       Supplier<SpecPolicy> policy, Identity identity, String inboxName, String instance,
                       long defaultMemoryBytes) {
        this.defaultMemoryBytes = defaultMemoryBytes;
        this.instance = instance;
        this.jobs = jobs;
        this.extractor = extractor;
        this.images = images;
        this.accounts = accounts;
        this.policy = policy;
        this.identity = new ZipIdentity(identity, inboxName, accounts::mayRun);
        this.arrays = new ArrayExpansion(jobs);
        this.lists = new JobListExpansion(jobs, (b, spec) -> withSpec(b, spec, defaultMemoryBytes));
    }

    /** Refuses jobs over their user's {@code max_queued} from now on; asked for every job (admins change it). */
    public void useQuotas(Supplier<Quotas> quotas) {
        this.quotas = quotas;
    }

    /** Accepts a zip's {@code "priority"} only up to its user's maximum in {@code limits} from now on. */
    public void usePriorities(PriorityLimits limits) {
        this.priorities = limits;
    }

    /** The highest priorities users may ask for in a zip. */
    PriorityLimits priorities() {
        return priorities;
    }

    /** Where images are built, loaded and looked up. */
    Images images() {
        return images;
    }

    /** Resolves {@code after} / {@code after_any} of new jobs from now on (without it they are refused). */
    public void useDependencies(Dependencies dependencies) {
        this.dependencies = dependencies;
    }

    /** Prepares one job; never throws for bad input (the job ends with a reason instead). */
    public void prepare(long jobId) {
        Job job = jobs.find(jobId).orElse(null);
        if (job == null || job.state().isTerminal() || job.state() == JobState.QUEUED
                || job.state() == JobState.RUNNING) {
            return;
        }
        JobFolder folder = JobFolder.of(job.workDir());
        try {
            Spec spec = validate(job, folder);
            if (spec == null) {
                return;
            }
            job = jobs.find(jobId).orElseThrow();
            List<StepWaits> waits = resolveWaits(job, spec.list(), folder);
            if (waits == null) {
                return;
            }
            if (job.state() == JobState.RECEIVED) {
                long id = job.id();
                job = jobs.move(job, JobState.BUILDING, ACTOR, b -> waits.get(0).apply(spec.spec().isArray()
                        ? ArrayExpansion.asFirst(spec.apply(b, defaultMemoryBytes), id, spec.spec())
                        : spec.apply(b, defaultMemoryBytes)));
            }
            Produced produced = produceImage(job, spec, folder);
            if (produced == null) {
                return;
            }
            job = jobs.find(jobId).orElseThrow();
            if (spec.list().size() > 1) {
                List<Job> queued = lists.queueAll(job, spec.list(), waits, produced.image());
                LOG.info("job {} ({}) is the first of a list of {} jobs: {}", jobId, job.user(), queued.size(),
                        queued.stream().map(j -> j.id() + " " + j.name()).toList());
            } else {
                if (job.inArray()) {
                    int made = arrays.insertOthers(job, spec.spec(), produced.image());
                    LOG.info("job {} ({}) is the first of array {}: {} more jobs queued", jobId, job.user(), jobId,
                            made);
                }
                queue(job, produced.image());
            }
            logQueued(jobId, spec, produced);
            Trees.deleteTree(folder.extracted());
        } catch (StaleJobException | IllegalTransitionException e) {
            LOG.info("job {} changed while it was prepared ({}); leaving it as it is", jobId, e.getMessage());
            if (jobs.find(jobId).filter(j -> j.inArray() && j.state().isTerminal()).isPresent()) {
                arrays.cancelOthers(jobId);
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("job {}: preparing failed", jobId, e);
            end(jobId, JobState.FAILED, "could not prepare the job: " + Messages.firstLine(e), folder);
        }
    }

    /**
     * Moves the built job to QUEUED. An owner or admin may have changed a field meanwhile (hold, priority): then
     * the move is made again on the fresh copy, so such a change never leaves the job behind in BUILDING.
     */
    private void queue(Job built, String image) {
        Job job = built;
        for (int attempt = 1; ; attempt++) {
            try {
                jobs.move(job, JobState.QUEUED, ACTOR, b -> b.image(image).reason(null));
                return;
            } catch (StaleJobException e) {
                job = jobs.find(job.id()).orElseThrow();
                if (attempt >= 5 || job.state() != JobState.BUILDING) {
                    throw e;
                }
            }
        }
    }

    /**
     * What each job of the zip waits for, as ids; null when a reference names no job of the user (the job is then
     * rejected).
     */
    private List<StepWaits> resolveWaits(Job job, JobList list, JobFolder folder) {
        try {
            return StepWaits.resolve(dependencies, list, job.id());
        } catch (IllegalArgumentException e) {
            reject(job.id(), e.getMessage(), folder);
            return null;
        }
    }

    /**
     * The jobs of a zip ({@code spec} is the first of them) and where they came from: a build streams the zip
     * ({@code zip}); a load or a named image needs the zip extracted ({@code extracted}, else null).
     */
    private record Spec(JobList list, ZipBuildContext zip, SafeZipExtractor.Extracted extracted,
                        long extractionNanos) {
        JobSpec spec() {
            return list.first();
        }

        Job.Builder apply(Job.Builder b, long defaultMemoryBytes) {
            return withSpec(b, spec(), defaultMemoryBytes);
        }
    }

    /** A job's fields from its spec. */
    private static Job.Builder withSpec(Job.Builder b, JobSpec spec, long defaultMemoryBytes) {
        return b.name(spec.name()).user(spec.user()).gpusRequested(spec.numGpus()).gpuMemory(spec.gpuMemoryBytes())
                .memoryBytes(spec.memoryBytes() > 0 ? spec.memoryBytes() : defaultMemoryBytes)
                .timeout(spec.timeout()).maxRetries(spec.retries()).priority(spec.priority())
                .specJson(spec.toJson());
    }

    private Spec validate(Job job, JobFolder folder) throws IOException {
        SourceInfo source = source(job, folder);
        String misplaced = identity.refuseBeforeReading(source);
        if (misplaced != null) {
            reject(job.id(), misplaced, folder);
            return null;
        }
        Trees.deleteTree(folder.extracted());
        long start = System.nanoTime();
        ZipBuildContext zip;
        Optional<String> text;
        try {
            zip = extractor.open(folder.zip());
            text = ConfigText.decode(zip.read(CONFIG, MAX_CONFIG_BYTES).orElseThrow());
        } catch (ZipRejectedException e) {
            reject(job.id(), e.getMessage(), folder);
            return null;
        }
        if (text.isEmpty()) {
            reject(job.id(), ConfigText.NOT_UTF8, folder);
            return null;
        }
        String json = withDefaults(text.get(), source, identity.defaultExecutor(source));
        JobList list;
        try {
            list = JobListParser.parse(json, policy.get());
        } catch (SpecRejectedException e) {
            reject(job.id(), e.getMessage(), folder);
            return null;
        }
        JobSpec spec = list.first();
        String problem = checkUser(spec, source);
        if (problem != null) {
            reject(job.id(), problem, folder);
            return null;
        }
        SafeZipExtractor.Extracted extracted = null;
        if (!spec.buildFlag()) {
            // a load reads the image tar from disk; a build never needs the files there
            try {
                extracted = extractor.extract(folder.zip(), folder.extracted());
            } catch (ZipRejectedException e) {
                reject(job.id(), e.getMessage(), folder);
                return null;
            }
        }
        long extractionNanos = System.nanoTime() - start;
        problem = checkFiles(spec, zip, extracted);
        if (problem == null) {
            // an array's or a list's other jobs count as waiting too
            problem = quotas.get().queuedRefusal(spec.user(), jobs.active().waitingAhead(spec.user(), job.id()),
                    Math.max(list.size(), spec.arrayIndexes().size()));
        }
        for (int i = 0; i < list.size() && problem == null; i++) {
            // every job of a list may carry its own priority
            problem = priorities.refusal(spec.user(), list.steps().get(i).spec().priority());
        }
        if (problem != null) {
            // the user is known and allowed: the refusal is theirs to see in history and results
            reject(job.id(), problem, folder, UserNames.normalize(spec.user()));
            return null;
        }
        return new Spec(list, zip, extracted, extractionNanos);
    }

    /** Where the job's zip came from; a job folder from before these records is a share zip of no folder. */
    private static SourceInfo source(Job job, JobFolder folder) throws IOException {
        return Files.exists(folder.source()) ? SourceInfo.read(folder.source())
                : new SourceInfo("job.zip", job.name() + ".zip", "");
    }

    /**
     * Some DoPQ zips have no "name": the zip's file name stands in, as DoPQ tagged images by it. A zip without
     * executor_name runs as the user its folder (or upload) proves, when the identity rule proves one.
     */
    private static String withDefaults(String json, SourceInfo source, String executor) throws IOException {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return json; // the parser reports it with line and column
        }
        if (!(node instanceof ObjectNode obj) || (obj.has("name") && (obj.has("executor_name") || executor == null))) {
            return json;
        }
        if (!obj.has("name")) {
            String base = source.baseName().replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("^[^A-Za-z0-9]+", "");
            obj.put("name", base.isEmpty() ? "job" : base.substring(0, Math.min(64, base.length())));
        }
        if (!obj.has("executor_name") && executor != null) {
            obj.put("executor_name", executor);
        }
        return JSON.writeValueAsString(obj);
    }

    private String checkUser(JobSpec spec, SourceInfo source) {
        if (!accounts.mayRun(spec.user())) {
            return "unknown user \"" + spec.user() + "\" (executor_name); ask an admin to add it";
        }
        String impostor = identity.refuse(source, spec.user());
        if (impostor != null) {
            return impostor;
        }
        return null;
    }

    private static String checkFiles(JobSpec spec, ZipBuildContext zip, SafeZipExtractor.Extracted extracted) {
        if (spec.buildFlag() && !zip.hasDockerfile()) {
            return "no Dockerfile in the zip (build_flag is true)";
        }
        if (!spec.buildFlag() && spec.imageFile() == null && (spec.image() == null || spec.image().isBlank())) {
            return "build_flag is false but the zip names neither image_file nor image";
        }
        if (!spec.buildFlag() && spec.imageFile() != null) {
            Path context = extracted.contextDir();
            Path tar = context.resolve(spec.imageFile()).normalize();
            if (!tar.startsWith(context) || !Files.isRegularFile(tar)) {
                return "image_file \"" + spec.imageFile() + "\" is not in the zip";
            }
        }
        return null;
    }

    /** The image a job runs; {@code built} tells where a build's time went (null when nothing was built). */
    private record Produced(String image, Images.Built built) {
    }

    private Produced produceImage(Job job, Spec prepared, JobFolder folder) throws IOException {
        JobSpec spec = prepared.spec();
        try {
            if (spec.buildFlag()) {
                String tag = imageTag(job, instance);
                Images.Built built = buildWithCacheRetry(prepared.zip(), tag, Map.of("dopq.job",
                        Long.toString(job.id()), "dopq.user", job.user(), "dopq.instance", instance),
                        folder.buildLog());
                return new Produced(tag, built);
            }
            if (spec.imageFile() != null) {
                // under the job's own tag only: a tar never moves a tag another job or a FROM line relies on
                Path context = prepared.extracted().contextDir();
                return new Produced(images.load(context.resolve(spec.imageFile()), imageTag(job, instance),
                        folder.buildLog()), null);
            }
            if (!images.exists(spec.image())) {
                reject(job.id(), "image \"" + spec.image() + "\" does not exist on this server", folder);
                return null;
            }
            return new Produced(spec.image(), null);
        } catch (ZipRejectedException e) {
            // an entry refused while the context was streamed: the same refusal extraction would have made
            reject(job.id(), e.getMessage(), folder);
            return null;
        } catch (ImageBuildTimeoutException e) {
            end(job.id(), JobState.FAILED, Messages.firstLine(e), folder);
            return null;
        } catch (ImageBuildException e) {
            end(job.id(), JobState.FAILED, "build failed: " + Messages.firstLine(e), folder);
            return null;
        }
    }

    /**
     * Builds once more when the engine lost a cached layer mid-build: the image of a job that just ended is removed
     * while another build of the same context reuses its layers ("unable to find image sha256:..."). That is the
     * engine's race, not the user's error.
     */
    private Images.Built buildWithCacheRetry(BuildContext context, String tag, Map<String, String> labels, Path log) {
        try {
            return images.buildTimed(context, tag, labels, log);
        } catch (ImageBuildException e) {
            String m = String.valueOf(e.getMessage());
            // a finished job's image removal pruned a layer this build had from the cache (the engine words it
            // in several ways)
            if (!m.contains("unable to find image \"sha256:") && !m.contains("No such image: sha256:")
                    && !m.contains("failed to get digest sha256:")) {
                throw e;
            }
            LOG.info("build of {} lost a cached layer ({}); building once more", tag, Messages.firstLine(e));
            return images.buildTimed(context, tag, labels, log);
        }
    }

    /** One line per job with where its preparation time went, so slow intake can be traced to its step. */
    private static void logQueued(long jobId, Spec spec, Produced produced) {
        SafeZipExtractor.Extracted x = spec.extracted();
        long checks = spec.extractionNanos() / 1_000_000;
        Images.Built built = produced.built();
        if (built == null) {
            LOG.info("job {} ({}) queued with image {}; extraction {} ms ({} files, {} bytes)", jobId,
                    spec.spec().user(), produced.image(), checks, x == null ? 0 : x.files(), x == null ? 0 : x.bytes());
            return;
        }
        LOG.info("job {} ({}) queued with image {}; zip checked and config read in {} ms, context {} bytes streamed"
                + " from the zip in {} ms, engine build {} ms after that", jobId, spec.spec().user(), produced.image(),
                checks, built.contextBytes(), built.contextSent().toMillis(), built.engineBuild().toMillis());
    }

    /** Unique per job, so two jobs with the same name never share an image. */
    public static String imageTag(Job job, String instance) {
        // one '-' for every run of other characters: a repository name allows no separator at either end and
        // no ".." or "-." ("sweep[0]" must not become "sweep-0-")
        String name = job.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-+", "");
        if (name.length() > 60) {
            name = name.substring(0, 60);
        }
        name = name.replaceAll("-+$", "");
        if (name.isEmpty()) {
            name = "job";
        }
        return "dopq/" + name + ":" + instance + "-" + job.id();
    }

    private void reject(long jobId, String reason, JobFolder folder) {
        end(jobId, JobState.REJECTED, reason, folder, null);
    }

    /** Rejects the job as {@code user}'s, a user the identity rule let through (else the proven user, if any). */
    private void reject(long jobId, String reason, JobFolder folder, String user) {
        end(jobId, JobState.REJECTED, reason, folder, user);
    }

    private void end(long jobId, JobState state, String reason, JobFolder folder) {
        end(jobId, state, reason, folder, null);
    }

    private void end(long jobId, JobState state, String reason, JobFolder folder, String user) {
        try {
            Job job = jobs.find(jobId).orElseThrow();
            if (job.state().isTerminal()) {
                return;
            }
            String owner = user != null ? user : !job.ownerKnown() ? identity.proven(source(job, folder)) : null;
            jobs.move(job, state, ACTOR, b -> owner == null ? b.reason(reason) : b.reason(reason).user(owner));
            LOG.info("job {} ({}) {}: {}", jobId, owner == null ? job.user() : owner, state, reason);
            Trees.deleteTree(folder.extracted());
        } catch (IOException | RuntimeException e) {
            LOG.error("job {}: could not record {} ({})", jobId, state, reason, e);
        }
    }

}
