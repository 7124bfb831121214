//! The `jedel.medevac.v1.Medevac` trait implementation. Each RPC is handled in the module of
//! its area — `grpc/requests.rs` (the request workflow), `grpc/taskings.rs` (aircraft,
//! airline answers, crew, milestones), `grpc/documents.rs`, `grpc/messages.rs`,
//! `grpc/flight.rs` (positions, tracks, watches) — which checks who may call it, checks the
//! request whole (every bad field reported at once), runs the operation and converts the
//! result. Who may do what is in `access.rs`. Handlers log ids, numbers and statuses, never
//! patient data; `#[instrument(skip_all)]` keeps requests out of spans.

mod documents;
mod flight;
mod messages;
mod requests;
mod taskings;

use std::sync::Arc;
use std::time::Duration;

use jedel_api::medevac::v1 as pb;
use jedel_api::medevac::v1::medevac_server::Medevac;
use jedel_core::local_time::Micros;
use jedel_core::medevac::alerts::Thresholds;
use jedel_core::medevac::documents::DocumentRules;
use jedel_core::medevac::workflow::Transition;
use jedel_platform::{Caller, Context};
use tonic::codegen::BoxStream;
use tonic::{Request, Response, Status, Streaming};
use tracing::{instrument, warn};

use crate::error::MedevacError;
use crate::metrics::MedevacMetrics;
use crate::model::Alert;
use crate::requests::actor_of;

/// What a deployment may tune.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Document size limit and allowed content types.
    pub documents: DocumentRules,
    /// The "N minutes" of the flight-following alerts.
    pub thresholds: Thresholds,
    /// How often flights are evaluated.
    pub follow_every: Duration,
}

impl Default for Settings {
    /// 20 MiB documents of the five known types; alerts after 10 minutes without a position
    /// and 15 minutes behind plan; flights evaluated every 15 seconds.
    fn default() -> Self {
        Settings {
            documents: DocumentRules::default(),
            thresholds: Thresholds::default(),
            follow_every: Duration::from_secs(15),
        }
    }
}

/// The medevac service.
#[derive(Clone)]
pub struct MedevacService {
    context: Context,
    settings: Arc<Settings>,
    metrics: MedevacMetrics,
}

impl MedevacService {
    /// The service over the shared storage and bus, with the default settings.
    pub fn new(context: Context) -> Self {
        MedevacService::with_settings(context, Settings::default())
    }

    /// The service with `settings`; registers its metrics.
    pub fn with_settings(context: Context, settings: Settings) -> Self {
        let metrics = MedevacMetrics::register(&context.metrics);
        MedevacService { context, settings: Arc::new(settings), metrics }
    }

    /// Evaluates every followed flight at `now`, raising and clearing alerts; returns them.
    /// The timer calls it with the wall clock; tests call it with theirs.
    pub async fn follow_flights(&self, now: Micros) -> Result<Vec<Alert>, MedevacError> {
        let changed = crate::following::follow(&self.context.db, &self.settings.thresholds, now).await?;
        for alert in &changed {
            self.metrics.alert(alert.kind, alert.cleared);
            tracing::info!(
                tasking_id = %alert.tasking_id,
                aircraft = %alert.aircraft_registration,
                kind = %alert.kind,
                cleared = alert.cleared,
                "flight alert"
            );
        }
        Ok(changed)
    }

    /// Follows flights every `settings.follow_every` for as long as the runtime runs.
    pub fn keep_following_flights(&self) {
        let service = self.clone();
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(service.settings.follow_every);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                if let Err(e) = service.follow_flights(jedel_platform::time::now_micros()).await {
                    warn!(error = %e, "cannot evaluate flight following");
                }
            }
        });
    }
}

/// A step taken by `caller` now, for a reason (or none).
fn transition(caller: &Caller, now: Micros, reason: String) -> Transition {
    Transition { occurred_at: now, recorded_at: now, actor: actor_of(caller), reason }
}

#[tonic::async_trait]
impl Medevac for MedevacService {
    #[instrument(skip_all)]
    async fn create_request(
        &self,
        request: Request<pb::CreateRequestRequest>,
    ) -> Result<Response<pb::MedevacRequest>, Status> {
        self.create(request).await
    }

    #[instrument(skip_all)]
    async fn get_request(
        &self,
        request: Request<pb::GetRequestRequest>,
    ) -> Result<Response<pb::MedevacRequest>, Status> {
        self.get(request).await
    }

    #[instrument(skip_all)]
    async fn list_requests(
        &self,
        request: Request<pb::ListRequestsRequest>,
    ) -> Result<Response<pb::ListRequestsResponse>, Status> {
        self.list(request).await
    }

    #[instrument(skip_all)]
    async fn update_request(
        &self,
        request: Request<pb::UpdateRequestRequest>,
    ) -> Result<Response<pb::MedevacRequest>, Status> {
        self.update(request).await
    }

    #[instrument(skip_all)]
    async fn submit_request(
        &self,
        request: Request<pb::SubmitRequestRequest>,
    ) -> Result<Response<pb::MedevacRequest>, Status> {
        self.submit(request).await
    }

    #[instrument(skip_all)]
    async fn start_review(
        &self,
        request: Request<pb::StartReviewRequest>,
    ) -> Result<Response<pb::MedevacRequest>, Status> {
        self.start_review_of(request).await
    }

    #[instrument(skip_all)]
    async fn approve_request(
        &self,
        request: Request<pb::ApproveRequestRequest>,
    ) -> Result<Response<pb::MedevacRequest>, Status> {
        self.approve(request).await
    }

    #[instrument(skip_all)]
    async fn return_request(
        &self,
        request: Request<pb::ReturnRequestRequest>,
    ) -> Result<Response<pb::MedevacRequest>, Status> {
        self.send_back(request).await
    }

    #[instrument(skip_all)]
    async fn reject_request(
        &self,
        request: Request<pb::RejectRequestRequest>,
    ) -> Result<Response<pb::MedevacRequest>, Status> {
        self.reject(request).await
    }

    #[instrument(skip_all)]
    async fn choose_aircraft(
        &self,
        request: Request<pb::ChooseAircraftRequest>,
    ) -> Result<Response<pb::MedevacRequest>, Status> {
        self.choose(request).await
    }

    #[instrument(skip_all)]
    async fn task_airline(
        &self,
        request: Request<pb::TaskAirlineRequest>,
    ) -> Result<Response<pb::MedevacRequest>, Status> {
        self.task(request).await
    }

    #[instrument(skip_all)]
    async fn accept_tasking(
        &self,
        request: Request<pb::AcceptTaskingRequest>,
    ) -> Result<Response<pb::Tasking>, Status> {
        self.accept(request).await
    }

    #[instrument(skip_all)]
    async fn decline_tasking(
        &self,
        request: Request<pb::DeclineTaskingRequest>,
    ) -> Result<Response<pb::Tasking>, Status> {
        self.decline(request).await
    }

    #[instrument(skip_all)]
    async fn assign_crew(&self, request: Request<pb::AssignCrewRequest>) -> Result<Response<pb::Tasking>, Status> {
        self.crew(request).await
    }

    #[instrument(skip_all)]
    async fn report_milestone(
        &self,
        request: Request<pb::ReportMilestoneRequest>,
    ) -> Result<Response<pb::Tasking>, Status> {
        self.milestone(request).await
    }

    #[instrument(skip_all)]
    async fn complete_request(
        &self,
        request: Request<pb::CompleteRequestRequest>,
    ) -> Result<Response<pb::MedevacRequest>, Status> {
        self.complete(request).await
    }

    #[instrument(skip_all)]
    async fn cancel_request(
        &self,
        request: Request<pb::CancelRequestRequest>,
    ) -> Result<Response<pb::MedevacRequest>, Status> {
        self.cancel(request).await
    }

    #[instrument(skip_all)]
    async fn upload_document(
        &self,
        request: Request<Streaming<pb::UploadDocumentRequest>>,
    ) -> Result<Response<pb::Document>, Status> {
        self.upload(request).await
    }

    #[instrument(skip_all)]
    async fn list_documents(
        &self,
        request: Request<pb::ListDocumentsRequest>,
    ) -> Result<Response<pb::ListDocumentsResponse>, Status> {
        self.documents(request).await
    }

    #[instrument(skip_all)]
    async fn download_document(
        &self,
        request: Request<pb::DownloadDocumentRequest>,
    ) -> Result<Response<BoxStream<pb::DownloadDocumentResponse>>, Status> {
        self.download(request).await
    }

    #[instrument(skip_all)]
    async fn list_taskings(
        &self,
        request: Request<pb::ListTaskingsRequest>,
    ) -> Result<Response<pb::ListTaskingsResponse>, Status> {
        self.taskings(request).await
    }

    #[instrument(skip_all)]
    async fn post_message(&self, request: Request<pb::PostMessageRequest>) -> Result<Response<pb::Message>, Status> {
        self.post(request).await
    }

    #[instrument(skip_all)]
    async fn list_messages(
        &self,
        request: Request<pb::ListMessagesRequest>,
    ) -> Result<Response<pb::ListMessagesResponse>, Status> {
        self.messages(request).await
    }

    #[instrument(skip_all)]
    async fn mark_messages_read(
        &self,
        request: Request<pb::MarkMessagesReadRequest>,
    ) -> Result<Response<pb::MarkMessagesReadResponse>, Status> {
        self.mark_read(request).await
    }

    #[instrument(skip_all)]
    async fn stream_flight_positions(
        &self,
        request: Request<Streaming<pb::StreamFlightPositionsRequest>>,
    ) -> Result<Response<pb::StreamFlightPositionsResponse>, Status> {
        self.positions(request).await
    }

    #[instrument(skip_all)]
    async fn get_flight_track(
        &self,
        request: Request<pb::GetFlightTrackRequest>,
    ) -> Result<Response<pb::FlightTrack>, Status> {
        self.track(request).await
    }

    #[instrument(skip_all)]
    async fn watch_requests(
        &self,
        request: Request<pb::WatchRequestsRequest>,
    ) -> Result<Response<BoxStream<pb::RequestEvent>>, Status> {
        self.watch(request).await
    }

    #[instrument(skip_all)]
    async fn watch_flight_alerts(
        &self,
        request: Request<pb::WatchFlightAlertsRequest>,
    ) -> Result<Response<BoxStream<pb::FlightAlert>>, Status> {
        self.watch_alerts(request).await
    }
}
