// Original file: jobs.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CancelJobRequest as _jobs_v1_CancelJobRequest, CancelJobRequest__Output as _jobs_v1_CancelJobRequest__Output } from '../../jobs/v1/CancelJobRequest';
import type { ClaimJobRequest as _jobs_v1_ClaimJobRequest, ClaimJobRequest__Output as _jobs_v1_ClaimJobRequest__Output } from '../../jobs/v1/ClaimJobRequest';
import type { ClaimJobResponse as _jobs_v1_ClaimJobResponse, ClaimJobResponse__Output as _jobs_v1_ClaimJobResponse__Output } from '../../jobs/v1/ClaimJobResponse';
import type { CompleteJobRequest as _jobs_v1_CompleteJobRequest, CompleteJobRequest__Output as _jobs_v1_CompleteJobRequest__Output } from '../../jobs/v1/CompleteJobRequest';
import type { CompleteJobsRequest as _jobs_v1_CompleteJobsRequest, CompleteJobsRequest__Output as _jobs_v1_CompleteJobsRequest__Output } from '../../jobs/v1/CompleteJobsRequest';
import type { CompleteJobsResponse as _jobs_v1_CompleteJobsResponse, CompleteJobsResponse__Output as _jobs_v1_CompleteJobsResponse__Output } from '../../jobs/v1/CompleteJobsResponse';
import type { CreateJobRequest as _jobs_v1_CreateJobRequest, CreateJobRequest__Output as _jobs_v1_CreateJobRequest__Output } from '../../jobs/v1/CreateJobRequest';
import type { CreateJobsRequest as _jobs_v1_CreateJobsRequest, CreateJobsRequest__Output as _jobs_v1_CreateJobsRequest__Output } from '../../jobs/v1/CreateJobsRequest';
import type { CreateJobsResponse as _jobs_v1_CreateJobsResponse, CreateJobsResponse__Output as _jobs_v1_CreateJobsResponse__Output } from '../../jobs/v1/CreateJobsResponse';
import type { CreateScheduleRequest as _jobs_v1_CreateScheduleRequest, CreateScheduleRequest__Output as _jobs_v1_CreateScheduleRequest__Output } from '../../jobs/v1/CreateScheduleRequest';
import type { DeleteScheduleRequest as _jobs_v1_DeleteScheduleRequest, DeleteScheduleRequest__Output as _jobs_v1_DeleteScheduleRequest__Output } from '../../jobs/v1/DeleteScheduleRequest';
import type { FailJobRequest as _jobs_v1_FailJobRequest, FailJobRequest__Output as _jobs_v1_FailJobRequest__Output } from '../../jobs/v1/FailJobRequest';
import type { GetJobRequest as _jobs_v1_GetJobRequest, GetJobRequest__Output as _jobs_v1_GetJobRequest__Output } from '../../jobs/v1/GetJobRequest';
import type { GetJobStatsRequest as _jobs_v1_GetJobStatsRequest, GetJobStatsRequest__Output as _jobs_v1_GetJobStatsRequest__Output } from '../../jobs/v1/GetJobStatsRequest';
import type { GetScheduleRequest as _jobs_v1_GetScheduleRequest, GetScheduleRequest__Output as _jobs_v1_GetScheduleRequest__Output } from '../../jobs/v1/GetScheduleRequest';
import type { HeartbeatRequest as _jobs_v1_HeartbeatRequest, HeartbeatRequest__Output as _jobs_v1_HeartbeatRequest__Output } from '../../jobs/v1/HeartbeatRequest';
import type { Job as _jobs_v1_Job, Job__Output as _jobs_v1_Job__Output } from '../../jobs/v1/Job';
import type { JobStats as _jobs_v1_JobStats, JobStats__Output as _jobs_v1_JobStats__Output } from '../../jobs/v1/JobStats';
import type { ListJobsRequest as _jobs_v1_ListJobsRequest, ListJobsRequest__Output as _jobs_v1_ListJobsRequest__Output } from '../../jobs/v1/ListJobsRequest';
import type { ListJobsResponse as _jobs_v1_ListJobsResponse, ListJobsResponse__Output as _jobs_v1_ListJobsResponse__Output } from '../../jobs/v1/ListJobsResponse';
import type { ListSchedulesRequest as _jobs_v1_ListSchedulesRequest, ListSchedulesRequest__Output as _jobs_v1_ListSchedulesRequest__Output } from '../../jobs/v1/ListSchedulesRequest';
import type { ListSchedulesResponse as _jobs_v1_ListSchedulesResponse, ListSchedulesResponse__Output as _jobs_v1_ListSchedulesResponse__Output } from '../../jobs/v1/ListSchedulesResponse';
import type { PauseScheduleRequest as _jobs_v1_PauseScheduleRequest, PauseScheduleRequest__Output as _jobs_v1_PauseScheduleRequest__Output } from '../../jobs/v1/PauseScheduleRequest';
import type { ResumeScheduleRequest as _jobs_v1_ResumeScheduleRequest, ResumeScheduleRequest__Output as _jobs_v1_ResumeScheduleRequest__Output } from '../../jobs/v1/ResumeScheduleRequest';
import type { RetryJobRequest as _jobs_v1_RetryJobRequest, RetryJobRequest__Output as _jobs_v1_RetryJobRequest__Output } from '../../jobs/v1/RetryJobRequest';
import type { RetryJobsRequest as _jobs_v1_RetryJobsRequest, RetryJobsRequest__Output as _jobs_v1_RetryJobsRequest__Output } from '../../jobs/v1/RetryJobsRequest';
import type { RetryJobsResponse as _jobs_v1_RetryJobsResponse, RetryJobsResponse__Output as _jobs_v1_RetryJobsResponse__Output } from '../../jobs/v1/RetryJobsResponse';
import type { Schedule as _jobs_v1_Schedule, Schedule__Output as _jobs_v1_Schedule__Output } from '../../jobs/v1/Schedule';
import type { WatchJobRequest as _jobs_v1_WatchJobRequest, WatchJobRequest__Output as _jobs_v1_WatchJobRequest__Output } from '../../jobs/v1/WatchJobRequest';

/**
 * Jobs owns units of work and their lifecycle:
 * PENDING -> RUNNING -> SUCCEEDED | FAILED | CANCELLED. Workers lease jobs
 * (ClaimJob), keep the lease alive (Heartbeat) and finish them (CompleteJob,
 * FailJob). A failure re-queues the job with backoff until max_attempts; a
 * lease that expires counts as a failed attempt. Illegal transitions are
 * FAILED_PRECONDITION.
 * 
 * Ownership: every job records the subject that created it (`owner`). Get,
 * Watch and Cancel take an `owner` condition: empty matches any job (trusted
 * callers, admins); set, a job of another owner is NOT_FOUND, exactly as if it
 * did not exist, so ids of other owners' jobs are not revealed.
 * 
 * The lease token: ClaimJob returns a secret token for that lease (only in
 * ClaimJobResponse, never in Job); the service keeps only its SHA-256 hash.
 * Heartbeat, CompleteJob and FailJob need it: a token of neither the latest
 * lease nor the one before it is PERMISSION_DENIED; the token of the latest
 * lease once it ended, or of the lease before it (the job was re-claimed), is
 * FAILED_PRECONDITION. worker_id is only a label.
 */
export interface JobsServiceClient extends grpc.Client {
  /**
   * PENDING or RUNNING -> CANCELLED.
   */
  CancelJob(argument: _jobs_v1_CancelJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  CancelJob(argument: _jobs_v1_CancelJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  CancelJob(argument: _jobs_v1_CancelJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  CancelJob(argument: _jobs_v1_CancelJobRequest, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  /**
   * PENDING or RUNNING -> CANCELLED.
   */
  cancelJob(argument: _jobs_v1_CancelJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  cancelJob(argument: _jobs_v1_CancelJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  cancelJob(argument: _jobs_v1_CancelJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  cancelJob(argument: _jobs_v1_CancelJobRequest, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  
  /**
   * Leases a runnable PENDING job to the worker: the highest priority first, then
   * the oldest (run_after, then id); each job goes to exactly one worker.
   */
  ClaimJob(argument: _jobs_v1_ClaimJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_ClaimJobResponse__Output>): grpc.ClientUnaryCall;
  ClaimJob(argument: _jobs_v1_ClaimJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_jobs_v1_ClaimJobResponse__Output>): grpc.ClientUnaryCall;
  ClaimJob(argument: _jobs_v1_ClaimJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_ClaimJobResponse__Output>): grpc.ClientUnaryCall;
  ClaimJob(argument: _jobs_v1_ClaimJobRequest, callback: grpc.requestCallback<_jobs_v1_ClaimJobResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Leases a runnable PENDING job to the worker: the highest priority first, then
   * the oldest (run_after, then id); each job goes to exactly one worker.
   */
  claimJob(argument: _jobs_v1_ClaimJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_ClaimJobResponse__Output>): grpc.ClientUnaryCall;
  claimJob(argument: _jobs_v1_ClaimJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_jobs_v1_ClaimJobResponse__Output>): grpc.ClientUnaryCall;
  claimJob(argument: _jobs_v1_ClaimJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_ClaimJobResponse__Output>): grpc.ClientUnaryCall;
  claimJob(argument: _jobs_v1_ClaimJobRequest, callback: grpc.requestCallback<_jobs_v1_ClaimJobResponse__Output>): grpc.ClientUnaryCall;
  
  CompleteJob(argument: _jobs_v1_CompleteJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  CompleteJob(argument: _jobs_v1_CompleteJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  CompleteJob(argument: _jobs_v1_CompleteJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  CompleteJob(argument: _jobs_v1_CompleteJobRequest, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  completeJob(argument: _jobs_v1_CompleteJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  completeJob(argument: _jobs_v1_CompleteJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  completeJob(argument: _jobs_v1_CompleteJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  completeJob(argument: _jobs_v1_CompleteJobRequest, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  
  /**
   * CompleteJob or FailJob for up to 500 leased jobs in one call (one transaction). A malformed
   * item fails the whole call before anything is written (INVALID_ARGUMENT names items.<i>.<field>);
   * a lease that is wrong or stale, or a job that is gone, is that item's outcome only: the other
   * items are still recorded. Outcomes come back one per item, in request order.
   */
  CompleteJobs(argument: _jobs_v1_CompleteJobsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_CompleteJobsResponse__Output>): grpc.ClientUnaryCall;
  CompleteJobs(argument: _jobs_v1_CompleteJobsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_jobs_v1_CompleteJobsResponse__Output>): grpc.ClientUnaryCall;
  CompleteJobs(argument: _jobs_v1_CompleteJobsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_CompleteJobsResponse__Output>): grpc.ClientUnaryCall;
  CompleteJobs(argument: _jobs_v1_CompleteJobsRequest, callback: grpc.requestCallback<_jobs_v1_CompleteJobsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * CompleteJob or FailJob for up to 500 leased jobs in one call (one transaction). A malformed
   * item fails the whole call before anything is written (INVALID_ARGUMENT names items.<i>.<field>);
   * a lease that is wrong or stale, or a job that is gone, is that item's outcome only: the other
   * items are still recorded. Outcomes come back one per item, in request order.
   */
  completeJobs(argument: _jobs_v1_CompleteJobsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_CompleteJobsResponse__Output>): grpc.ClientUnaryCall;
  completeJobs(argument: _jobs_v1_CompleteJobsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_jobs_v1_CompleteJobsResponse__Output>): grpc.ClientUnaryCall;
  completeJobs(argument: _jobs_v1_CompleteJobsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_CompleteJobsResponse__Output>): grpc.ClientUnaryCall;
  completeJobs(argument: _jobs_v1_CompleteJobsRequest, callback: grpc.requestCallback<_jobs_v1_CompleteJobsResponse__Output>): grpc.ClientUnaryCall;
  
  CreateJob(argument: _jobs_v1_CreateJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  CreateJob(argument: _jobs_v1_CreateJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  CreateJob(argument: _jobs_v1_CreateJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  CreateJob(argument: _jobs_v1_CreateJobRequest, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  createJob(argument: _jobs_v1_CreateJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  createJob(argument: _jobs_v1_CreateJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  createJob(argument: _jobs_v1_CreateJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  createJob(argument: _jobs_v1_CreateJobRequest, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  
  /**
   * Creates up to 500 jobs in one transaction: all or none (INVALID_ARGUMENT names jobs.<i>.<field>).
   */
  CreateJobs(argument: _jobs_v1_CreateJobsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_CreateJobsResponse__Output>): grpc.ClientUnaryCall;
  CreateJobs(argument: _jobs_v1_CreateJobsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_jobs_v1_CreateJobsResponse__Output>): grpc.ClientUnaryCall;
  CreateJobs(argument: _jobs_v1_CreateJobsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_CreateJobsResponse__Output>): grpc.ClientUnaryCall;
  CreateJobs(argument: _jobs_v1_CreateJobsRequest, callback: grpc.requestCallback<_jobs_v1_CreateJobsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Creates up to 500 jobs in one transaction: all or none (INVALID_ARGUMENT names jobs.<i>.<field>).
   */
  createJobs(argument: _jobs_v1_CreateJobsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_CreateJobsResponse__Output>): grpc.ClientUnaryCall;
  createJobs(argument: _jobs_v1_CreateJobsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_jobs_v1_CreateJobsResponse__Output>): grpc.ClientUnaryCall;
  createJobs(argument: _jobs_v1_CreateJobsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_CreateJobsResponse__Output>): grpc.ClientUnaryCall;
  createJobs(argument: _jobs_v1_CreateJobsRequest, callback: grpc.requestCallback<_jobs_v1_CreateJobsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Recurring schedules (messages in schedules.proto): each firing creates a job from the schedule's
   * template, as its owner, with the idempotency key
   * "schedule:<id>:<scheduled time ms>", so a time is never fired twice, even
   * by two replicas at once. Only one jobs replica fires at a time (a lease in
   * the database). Owner conditions work like GetJob's. A bad cron expression
   * is INVALID_ARGUMENT naming `cron`, an unknown time zone naming `time_zone`.
   */
  CreateSchedule(argument: _jobs_v1_CreateScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Schedule__Output>): grpc.ClientUnaryCall;
  CreateSchedule(argument: _jobs_v1_CreateScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_jobs_v1_Schedule__Output>): grpc.ClientUnaryCall;
  CreateSchedule(argument: _jobs_v1_CreateScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Schedule__Output>): grpc.ClientUnaryCall;
  CreateSchedule(argument: _jobs_v1_CreateScheduleRequest, callback: grpc.requestCallback<_jobs_v1_Schedule__Output>): grpc.ClientUnaryCall;
  /**
   * Recurring schedules (messages in schedules.proto): each firing creates a job from the schedule's
   * template, as its owner, with the idempotency key
   * "schedule:<id>:<scheduled time ms>", so a time is never fired twice, even
   * by two replicas at once. Only one jobs replica fires at a time (a lease in
   * the database). Owner conditions work like GetJob's. A bad cron expression
   * is INVALID_ARGUMENT naming `cron`, an unknown time zone naming `time_zone`.
   */
  createSchedule(argument: _jobs_v1_CreateScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Schedule__Output>): grpc.ClientUnaryCall;
  createSchedule(argument: _jobs_v1_CreateScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_jobs_v1_Schedule__Output>): grpc.ClientUnaryCall;
  createSchedule(argument: _jobs_v1_CreateScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Schedule__Output>): grpc.ClientUnaryCall;
  createSchedule(argument: _jobs_v1_CreateScheduleRequest, callback: grpc.requestCallback<_jobs_v1_Schedule__Output>): grpc.ClientUnaryCall;
  
  /**
   * Deletes the schedule (the jobs it created stay); returns it as it was.
   */
  DeleteSchedule(argument: _jobs_v1_DeleteScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Schedule__Output>): grpc.ClientUnaryCall;
  DeleteSchedule(argument: _jobs_v1_DeleteScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_jobs_v1_Schedule__Output>): grpc.ClientUnaryCall;
  DeleteSchedule(argument: _jobs_v1_DeleteScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Schedule__Output>): grpc.ClientUnaryCall;
  DeleteSchedule(argument: _jobs_v1_DeleteScheduleRequest, callback: grpc.requestCallback<_jobs_v1_Schedule__Output>): grpc.ClientUnaryCall;
  /**
   * Deletes the schedule (the jobs it created stay); returns it as it was.
   */
  deleteSchedule(argument: _jobs_v1_DeleteScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Schedule__Output>): grpc.ClientUnaryCall;
  deleteSchedule(argument: _jobs_v1_DeleteScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_jobs_v1_Schedule__Output>): grpc.ClientUnaryCall;
  deleteSchedule(argument: _jobs_v1_DeleteScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Schedule__Output>): grpc.ClientUnaryCall;
  deleteSchedule(argument: _jobs_v1_DeleteScheduleRequest, callback: grpc.requestCallback<_jobs_v1_Schedule__Output>): grpc.ClientUnaryCall;
  
  FailJob(argument: _jobs_v1_FailJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  FailJob(argument: _jobs_v1_FailJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  FailJob(argument: _jobs_v1_FailJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  FailJob(argument: _jobs_v1_FailJobRequest, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  failJob(argument: _jobs_v1_FailJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  failJob(argument: _jobs_v1_FailJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  failJob(argument: _jobs_v1_FailJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  failJob(argument: _jobs_v1_FailJobRequest, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  
  GetJob(argument: _jobs_v1_GetJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  GetJob(argument: _jobs_v1_GetJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  GetJob(argument: _jobs_v1_GetJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  GetJob(argument: _jobs_v1_GetJobRequest, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  getJob(argument: _jobs_v1_GetJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  getJob(argument: _jobs_v1_GetJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  getJob(argument: _jobs_v1_GetJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  getJob(argument: _jobs_v1_GetJobRequest, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  
  /**
   * How many jobs are in each status, per kind and per (kind, queue), and how long the oldest PENDING one has waited.
   */
  GetJobStats(argument: _jobs_v1_GetJobStatsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_JobStats__Output>): grpc.ClientUnaryCall;
  GetJobStats(argument: _jobs_v1_GetJobStatsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_jobs_v1_JobStats__Output>): grpc.ClientUnaryCall;
  GetJobStats(argument: _jobs_v1_GetJobStatsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_JobStats__Output>): grpc.ClientUnaryCall;
  GetJobStats(argument: _jobs_v1_GetJobStatsRequest, callback: grpc.requestCallback<_jobs_v1_JobStats__Output>): grpc.ClientUnaryCall;
  /**
   * How many jobs are in each status, per kind and per (kind, queue), and how long the oldest PENDING one has waited.
   */
  getJobStats(argument: _jobs_v1_GetJobStatsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_JobStats__Output>): grpc.ClientUnaryCall;
  getJobStats(argument: _jobs_v1_GetJobStatsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_jobs_v1_JobStats__Output>): grpc.ClientUnaryCall;
  getJobStats(argument: _jobs_v1_GetJobStatsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_JobStats__Output>): grpc.ClientUnaryCall;
  getJobStats(argument: _jobs_v1_GetJobStatsRequest, callback: grpc.requestCallback<_jobs_v1_JobStats__Output>): grpc.ClientUnaryCall;
  
  GetSchedule(argument: _jobs_v1_GetScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Schedule__Output>): grpc.ClientUnaryCall;
  GetSchedule(argument: _jobs_v1_GetScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_jobs_v1_Schedule__Output>): grpc.ClientUnaryCall;
  GetSchedule(argument: _jobs_v1_GetScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Schedule__Output>): grpc.ClientUnaryCall;
  GetSchedule(argument: _jobs_v1_GetScheduleRequest, callback: grpc.requestCallback<_jobs_v1_Schedule__Output>): grpc.ClientUnaryCall;
  getSchedule(argument: _jobs_v1_GetScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Schedule__Output>): grpc.ClientUnaryCall;
  getSchedule(argument: _jobs_v1_GetScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_jobs_v1_Schedule__Output>): grpc.ClientUnaryCall;
  getSchedule(argument: _jobs_v1_GetScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Schedule__Output>): grpc.ClientUnaryCall;
  getSchedule(argument: _jobs_v1_GetScheduleRequest, callback: grpc.requestCallback<_jobs_v1_Schedule__Output>): grpc.ClientUnaryCall;
  
  /**
   * Extends the lease; only the holder of the lease token may.
   */
  Heartbeat(argument: _jobs_v1_HeartbeatRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _jobs_v1_HeartbeatRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _jobs_v1_HeartbeatRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _jobs_v1_HeartbeatRequest, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  /**
   * Extends the lease; only the holder of the lease token may.
   */
  heartbeat(argument: _jobs_v1_HeartbeatRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _jobs_v1_HeartbeatRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _jobs_v1_HeartbeatRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _jobs_v1_HeartbeatRequest, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  
  /**
   * Lists jobs in ascending id order, one page at a time.
   */
  ListJobs(argument: _jobs_v1_ListJobsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  ListJobs(argument: _jobs_v1_ListJobsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_jobs_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  ListJobs(argument: _jobs_v1_ListJobsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  ListJobs(argument: _jobs_v1_ListJobsRequest, callback: grpc.requestCallback<_jobs_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Lists jobs in ascending id order, one page at a time.
   */
  listJobs(argument: _jobs_v1_ListJobsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  listJobs(argument: _jobs_v1_ListJobsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_jobs_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  listJobs(argument: _jobs_v1_ListJobsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  listJobs(argument: _jobs_v1_ListJobsRequest, callback: grpc.requestCallback<_jobs_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Lists schedules in ascending id order, one page at a time.
   */
  ListSchedules(argument: _jobs_v1_ListSchedulesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
  ListSchedules(argument: _jobs_v1_ListSchedulesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_jobs_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
  ListSchedules(argument: _jobs_v1_ListSchedulesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
  ListSchedules(argument: _jobs_v1_ListSchedulesRequest, callback: grpc.requestCallback<_jobs_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Lists schedules in ascending id order, one page at a time.
   */
  listSchedules(argument: _jobs_v1_ListSchedulesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
  listSchedules(argument: _jobs_v1_ListSchedulesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_jobs_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
  listSchedules(argument: _jobs_v1_ListSchedulesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
  listSchedules(argument: _jobs_v1_ListSchedulesRequest, callback: grpc.requestCallback<_jobs_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Stops firing; a paused schedule has no next run.
   */
  PauseSchedule(argument: _jobs_v1_PauseScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Schedule__Output>): grpc.ClientUnaryCall;
  PauseSchedule(argument: _jobs_v1_PauseScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_jobs_v1_Schedule__Output>): grpc.ClientUnaryCall;
  PauseSchedule(argument: _jobs_v1_PauseScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Schedule__Output>): grpc.ClientUnaryCall;
  PauseSchedule(argument: _jobs_v1_PauseScheduleRequest, callback: grpc.requestCallback<_jobs_v1_Schedule__Output>): grpc.ClientUnaryCall;
  /**
   * Stops firing; a paused schedule has no next run.
   */
  pauseSchedule(argument: _jobs_v1_PauseScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Schedule__Output>): grpc.ClientUnaryCall;
  pauseSchedule(argument: _jobs_v1_PauseScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_jobs_v1_Schedule__Output>): grpc.ClientUnaryCall;
  pauseSchedule(argument: _jobs_v1_PauseScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Schedule__Output>): grpc.ClientUnaryCall;
  pauseSchedule(argument: _jobs_v1_PauseScheduleRequest, callback: grpc.requestCallback<_jobs_v1_Schedule__Output>): grpc.ClientUnaryCall;
  
  /**
   * Fires again from the next time after now: the times missed while paused are skipped.
   */
  ResumeSchedule(argument: _jobs_v1_ResumeScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Schedule__Output>): grpc.ClientUnaryCall;
  ResumeSchedule(argument: _jobs_v1_ResumeScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_jobs_v1_Schedule__Output>): grpc.ClientUnaryCall;
  ResumeSchedule(argument: _jobs_v1_ResumeScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Schedule__Output>): grpc.ClientUnaryCall;
  ResumeSchedule(argument: _jobs_v1_ResumeScheduleRequest, callback: grpc.requestCallback<_jobs_v1_Schedule__Output>): grpc.ClientUnaryCall;
  /**
   * Fires again from the next time after now: the times missed while paused are skipped.
   */
  resumeSchedule(argument: _jobs_v1_ResumeScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Schedule__Output>): grpc.ClientUnaryCall;
  resumeSchedule(argument: _jobs_v1_ResumeScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_jobs_v1_Schedule__Output>): grpc.ClientUnaryCall;
  resumeSchedule(argument: _jobs_v1_ResumeScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Schedule__Output>): grpc.ClientUnaryCall;
  resumeSchedule(argument: _jobs_v1_ResumeScheduleRequest, callback: grpc.requestCallback<_jobs_v1_Schedule__Output>): grpc.ClientUnaryCall;
  
  /**
   * FAILED or CANCELLED -> PENDING, to run again now: attempts start over at 0,
   * the last error is kept (until the job succeeds), the result and the lease
   * are cleared. Any other status is FAILED_PRECONDITION. The owner condition
   * works like CancelJob's.
   */
  RetryJob(argument: _jobs_v1_RetryJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  RetryJob(argument: _jobs_v1_RetryJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  RetryJob(argument: _jobs_v1_RetryJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  RetryJob(argument: _jobs_v1_RetryJobRequest, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  /**
   * FAILED or CANCELLED -> PENDING, to run again now: attempts start over at 0,
   * the last error is kept (until the job succeeds), the result and the lease
   * are cleared. Any other status is FAILED_PRECONDITION. The owner condition
   * works like CancelJob's.
   */
  retryJob(argument: _jobs_v1_RetryJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  retryJob(argument: _jobs_v1_RetryJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  retryJob(argument: _jobs_v1_RetryJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  retryJob(argument: _jobs_v1_RetryJobRequest, callback: grpc.requestCallback<_jobs_v1_Job__Output>): grpc.ClientUnaryCall;
  
  /**
   * RetryJob for up to 100 jobs; each id gets its own outcome, in request order.
   */
  RetryJobs(argument: _jobs_v1_RetryJobsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_RetryJobsResponse__Output>): grpc.ClientUnaryCall;
  RetryJobs(argument: _jobs_v1_RetryJobsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_jobs_v1_RetryJobsResponse__Output>): grpc.ClientUnaryCall;
  RetryJobs(argument: _jobs_v1_RetryJobsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_RetryJobsResponse__Output>): grpc.ClientUnaryCall;
  RetryJobs(argument: _jobs_v1_RetryJobsRequest, callback: grpc.requestCallback<_jobs_v1_RetryJobsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * RetryJob for up to 100 jobs; each id gets its own outcome, in request order.
   */
  retryJobs(argument: _jobs_v1_RetryJobsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_RetryJobsResponse__Output>): grpc.ClientUnaryCall;
  retryJobs(argument: _jobs_v1_RetryJobsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_jobs_v1_RetryJobsResponse__Output>): grpc.ClientUnaryCall;
  retryJobs(argument: _jobs_v1_RetryJobsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_jobs_v1_RetryJobsResponse__Output>): grpc.ClientUnaryCall;
  retryJobs(argument: _jobs_v1_RetryJobsRequest, callback: grpc.requestCallback<_jobs_v1_RetryJobsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Sends the job now and after every change, and ends once it is final.
   */
  WatchJob(argument: _jobs_v1_WatchJobRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_jobs_v1_Job__Output>;
  WatchJob(argument: _jobs_v1_WatchJobRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_jobs_v1_Job__Output>;
  /**
   * Sends the job now and after every change, and ends once it is final.
   */
  watchJob(argument: _jobs_v1_WatchJobRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_jobs_v1_Job__Output>;
  watchJob(argument: _jobs_v1_WatchJobRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_jobs_v1_Job__Output>;
  
}

/**
 * Jobs owns units of work and their lifecycle:
 * PENDING -> RUNNING -> SUCCEEDED | FAILED | CANCELLED. Workers lease jobs
 * (ClaimJob), keep the lease alive (Heartbeat) and finish them (CompleteJob,
 * FailJob). A failure re-queues the job with backoff until max_attempts; a
 * lease that expires counts as a failed attempt. Illegal transitions are
 * FAILED_PRECONDITION.
 * 
 * Ownership: every job records the subject that created it (`owner`). Get,
 * Watch and Cancel take an `owner` condition: empty matches any job (trusted
 * callers, admins); set, a job of another owner is NOT_FOUND, exactly as if it
 * did not exist, so ids of other owners' jobs are not revealed.
 * 
 * The lease token: ClaimJob returns a secret token for that lease (only in
 * ClaimJobResponse, never in Job); the service keeps only its SHA-256 hash.
 * Heartbeat, CompleteJob and FailJob need it: a token of neither the latest
 * lease nor the one before it is PERMISSION_DENIED; the token of the latest
 * lease once it ended, or of the lease before it (the job was re-claimed), is
 * FAILED_PRECONDITION. worker_id is only a label.
 */
export interface JobsServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * PENDING or RUNNING -> CANCELLED.
   */
  CancelJob: grpc.handleUnaryCall<_jobs_v1_CancelJobRequest__Output, _jobs_v1_Job>;
  
  /**
   * Leases a runnable PENDING job to the worker: the highest priority first, then
   * the oldest (run_after, then id); each job goes to exactly one worker.
   */
  ClaimJob: grpc.handleUnaryCall<_jobs_v1_ClaimJobRequest__Output, _jobs_v1_ClaimJobResponse>;
  
  CompleteJob: grpc.handleUnaryCall<_jobs_v1_CompleteJobRequest__Output, _jobs_v1_Job>;
  
  /**
   * CompleteJob or FailJob for up to 500 leased jobs in one call (one transaction). A malformed
   * item fails the whole call before anything is written (INVALID_ARGUMENT names items.<i>.<field>);
   * a lease that is wrong or stale, or a job that is gone, is that item's outcome only: the other
   * items are still recorded. Outcomes come back one per item, in request order.
   */
  CompleteJobs: grpc.handleUnaryCall<_jobs_v1_CompleteJobsRequest__Output, _jobs_v1_CompleteJobsResponse>;
  
  CreateJob: grpc.handleUnaryCall<_jobs_v1_CreateJobRequest__Output, _jobs_v1_Job>;
  
  /**
   * Creates up to 500 jobs in one transaction: all or none (INVALID_ARGUMENT names jobs.<i>.<field>).
   */
  CreateJobs: grpc.handleUnaryCall<_jobs_v1_CreateJobsRequest__Output, _jobs_v1_CreateJobsResponse>;
  
  /**
   * Recurring schedules (messages in schedules.proto): each firing creates a job from the schedule's
   * template, as its owner, with the idempotency key
   * "schedule:<id>:<scheduled time ms>", so a time is never fired twice, even
   * by two replicas at once. Only one jobs replica fires at a time (a lease in
   * the database). Owner conditions work like GetJob's. A bad cron expression
   * is INVALID_ARGUMENT naming `cron`, an unknown time zone naming `time_zone`.
   */
  CreateSchedule: grpc.handleUnaryCall<_jobs_v1_CreateScheduleRequest__Output, _jobs_v1_Schedule>;
  
  /**
   * Deletes the schedule (the jobs it created stay); returns it as it was.
   */
  DeleteSchedule: grpc.handleUnaryCall<_jobs_v1_DeleteScheduleRequest__Output, _jobs_v1_Schedule>;
  
  FailJob: grpc.handleUnaryCall<_jobs_v1_FailJobRequest__Output, _jobs_v1_Job>;
  
  GetJob: grpc.handleUnaryCall<_jobs_v1_GetJobRequest__Output, _jobs_v1_Job>;
  
  /**
   * How many jobs are in each status, per kind and per (kind, queue), and how long the oldest PENDING one has waited.
   */
  GetJobStats: grpc.handleUnaryCall<_jobs_v1_GetJobStatsRequest__Output, _jobs_v1_JobStats>;
  
  GetSchedule: grpc.handleUnaryCall<_jobs_v1_GetScheduleRequest__Output, _jobs_v1_Schedule>;
  
  /**
   * Extends the lease; only the holder of the lease token may.
   */
  Heartbeat: grpc.handleUnaryCall<_jobs_v1_HeartbeatRequest__Output, _jobs_v1_Job>;
  
  /**
   * Lists jobs in ascending id order, one page at a time.
   */
  ListJobs: grpc.handleUnaryCall<_jobs_v1_ListJobsRequest__Output, _jobs_v1_ListJobsResponse>;
  
  /**
   * Lists schedules in ascending id order, one page at a time.
   */
  ListSchedules: grpc.handleUnaryCall<_jobs_v1_ListSchedulesRequest__Output, _jobs_v1_ListSchedulesResponse>;
  
  /**
   * Stops firing; a paused schedule has no next run.
   */
  PauseSchedule: grpc.handleUnaryCall<_jobs_v1_PauseScheduleRequest__Output, _jobs_v1_Schedule>;
  
  /**
   * Fires again from the next time after now: the times missed while paused are skipped.
   */
  ResumeSchedule: grpc.handleUnaryCall<_jobs_v1_ResumeScheduleRequest__Output, _jobs_v1_Schedule>;
  
  /**
   * FAILED or CANCELLED -> PENDING, to run again now: attempts start over at 0,
   * the last error is kept (until the job succeeds), the result and the lease
   * are cleared. Any other status is FAILED_PRECONDITION. The owner condition
   * works like CancelJob's.
   */
  RetryJob: grpc.handleUnaryCall<_jobs_v1_RetryJobRequest__Output, _jobs_v1_Job>;
  
  /**
   * RetryJob for up to 100 jobs; each id gets its own outcome, in request order.
   */
  RetryJobs: grpc.handleUnaryCall<_jobs_v1_RetryJobsRequest__Output, _jobs_v1_RetryJobsResponse>;
  
  /**
   * Sends the job now and after every change, and ends once it is final.
   */
  WatchJob: grpc.handleServerStreamingCall<_jobs_v1_WatchJobRequest__Output, _jobs_v1_Job>;
  
}

export interface JobsServiceDefinition extends grpc.ServiceDefinition {
  CancelJob: MethodDefinition<_jobs_v1_CancelJobRequest, _jobs_v1_Job, _jobs_v1_CancelJobRequest__Output, _jobs_v1_Job__Output>
  ClaimJob: MethodDefinition<_jobs_v1_ClaimJobRequest, _jobs_v1_ClaimJobResponse, _jobs_v1_ClaimJobRequest__Output, _jobs_v1_ClaimJobResponse__Output>
  CompleteJob: MethodDefinition<_jobs_v1_CompleteJobRequest, _jobs_v1_Job, _jobs_v1_CompleteJobRequest__Output, _jobs_v1_Job__Output>
  CompleteJobs: MethodDefinition<_jobs_v1_CompleteJobsRequest, _jobs_v1_CompleteJobsResponse, _jobs_v1_CompleteJobsRequest__Output, _jobs_v1_CompleteJobsResponse__Output>
  CreateJob: MethodDefinition<_jobs_v1_CreateJobRequest, _jobs_v1_Job, _jobs_v1_CreateJobRequest__Output, _jobs_v1_Job__Output>
  CreateJobs: MethodDefinition<_jobs_v1_CreateJobsRequest, _jobs_v1_CreateJobsResponse, _jobs_v1_CreateJobsRequest__Output, _jobs_v1_CreateJobsResponse__Output>
  CreateSchedule: MethodDefinition<_jobs_v1_CreateScheduleRequest, _jobs_v1_Schedule, _jobs_v1_CreateScheduleRequest__Output, _jobs_v1_Schedule__Output>
  DeleteSchedule: MethodDefinition<_jobs_v1_DeleteScheduleRequest, _jobs_v1_Schedule, _jobs_v1_DeleteScheduleRequest__Output, _jobs_v1_Schedule__Output>
  FailJob: MethodDefinition<_jobs_v1_FailJobRequest, _jobs_v1_Job, _jobs_v1_FailJobRequest__Output, _jobs_v1_Job__Output>
  GetJob: MethodDefinition<_jobs_v1_GetJobRequest, _jobs_v1_Job, _jobs_v1_GetJobRequest__Output, _jobs_v1_Job__Output>
  GetJobStats: MethodDefinition<_jobs_v1_GetJobStatsRequest, _jobs_v1_JobStats, _jobs_v1_GetJobStatsRequest__Output, _jobs_v1_JobStats__Output>
  GetSchedule: MethodDefinition<_jobs_v1_GetScheduleRequest, _jobs_v1_Schedule, _jobs_v1_GetScheduleRequest__Output, _jobs_v1_Schedule__Output>
  Heartbeat: MethodDefinition<_jobs_v1_HeartbeatRequest, _jobs_v1_Job, _jobs_v1_HeartbeatRequest__Output, _jobs_v1_Job__Output>
  ListJobs: MethodDefinition<_jobs_v1_ListJobsRequest, _jobs_v1_ListJobsResponse, _jobs_v1_ListJobsRequest__Output, _jobs_v1_ListJobsResponse__Output>
  ListSchedules: MethodDefinition<_jobs_v1_ListSchedulesRequest, _jobs_v1_ListSchedulesResponse, _jobs_v1_ListSchedulesRequest__Output, _jobs_v1_ListSchedulesResponse__Output>
  PauseSchedule: MethodDefinition<_jobs_v1_PauseScheduleRequest, _jobs_v1_Schedule, _jobs_v1_PauseScheduleRequest__Output, _jobs_v1_Schedule__Output>
  ResumeSchedule: MethodDefinition<_jobs_v1_ResumeScheduleRequest, _jobs_v1_Schedule, _jobs_v1_ResumeScheduleRequest__Output, _jobs_v1_Schedule__Output>
  RetryJob: MethodDefinition<_jobs_v1_RetryJobRequest, _jobs_v1_Job, _jobs_v1_RetryJobRequest__Output, _jobs_v1_Job__Output>
  RetryJobs: MethodDefinition<_jobs_v1_RetryJobsRequest, _jobs_v1_RetryJobsResponse, _jobs_v1_RetryJobsRequest__Output, _jobs_v1_RetryJobsResponse__Output>
  WatchJob: MethodDefinition<_jobs_v1_WatchJobRequest, _jobs_v1_Job, _jobs_v1_WatchJobRequest__Output, _jobs_v1_Job__Output>
}
