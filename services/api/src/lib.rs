//! Jedel's gRPC API: the Rust generated from `proto/`, one module per package, the error table,
//! and the encoded file descriptor set that the reflection service serves.

pub mod error;
pub mod fields;
pub use error::{ApiError, FieldViolation, Violations};

/// The file descriptor set of every Jedel proto, for `grpc.reflection.v1`.
pub const FILE_DESCRIPTOR_SET: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/jedel_descriptor.bin"));

/// Types shared by every service.
pub mod common {
    /// Version 1.
    pub mod v1 {
        tonic::include_proto!("jedel.common.v1");
    }
}

/// `jedel.intake.v1.CallIntake`: calls, triage, norms, the call timeline.
pub mod intake {
    /// Version 1.
    pub mod v1 {
        tonic::include_proto!("jedel.intake.v1");
    }
}

/// `jedel.registry.v1.Registry`: regions, stations, brigades, hospitals, airlines, aircraft.
pub mod registry {
    /// Version 1.
    pub mod v1 {
        tonic::include_proto!("jedel.registry.v1");
    }
}

/// `jedel.dispatch.v1.Dispatcher`: live units, recommendations, assignments, air options.
pub mod dispatch {
    /// Version 1.
    pub mod v1 {
        tonic::include_proto!("jedel.dispatch.v1");
    }
}

/// `jedel.medevac.v1.Medevac`: medical-aviation requests, documents, airline tasking.
pub mod medevac {
    /// Version 1.
    pub mod v1 {
        tonic::include_proto!("jedel.medevac.v1");
    }
}

/// `jedel.situation.v1.SituationCentre`: live metrics and reports.
pub mod situation {
    /// Version 1.
    pub mod v1 {
        tonic::include_proto!("jedel.situation.v1");
    }
}
