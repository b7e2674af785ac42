"""Every price the cost report uses, in one table: us-east-1, on-demand, list prices in US dollars,
each with the date it was read and where (free tiers are left out: the report is the price at volume).

Reading them again: the AWS pages render some figures client-side; where a figure was confirmed from a
second source, that source is named too."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Price:
    usd: float
    per: str  # the unit the price is for
    source: str
    read: str  # when this figure was checked


PRICES: dict[str, Price] = {
    # Halved on 2024-11-01 (on-demand throughput price cut); confirmed by airbyte.com's DynamoDB
    # pricing guide (2025-07-21), which quotes the same two figures for US East.
    "dynamodb_write": Price(
        0.625,
        "million write request units",
        "https://aws.amazon.com/dynamodb/pricing/on-demand/",
        "2026-12-07",
    ),
    "dynamodb_read": Price(
        0.125,
        "million read request units",
        "https://aws.amazon.com/dynamodb/pricing/on-demand/",
        "2026-12-07",
    ),
    "dynamodb_storage": Price(
        0.25,
        "GB-month (after the first 25 GB)",
        "https://aws.amazon.com/dynamodb/pricing/on-demand/",
        "2026-12-07",
    ),
    "lambda_arm_gb_second": Price(
        0.0000133334,
        "GB-second (arm64, first 7.5 billion)",
        "https://aws.amazon.com/lambda/pricing/",
        "2026-12-07",
    ),
    "lambda_request": Price(0.20, "million requests", "https://aws.amazon.com/lambda/pricing/", "2026-12-07"),
    # INIT is billed like INVOKE since 2025-08-01:
    # https://aws.amazon.com/blogs/compute/aws-lambda-standardizes-billing-for-init-phase
    "cloudfront_https_request": Price(
        1.00,
        "million HTTPS requests (US; $0.0100 per 10,000)",
        "https://aws.amazon.com/cloudfront/pricing/",
        "2026-12-07",
    ),
    "cloudfront_transfer_out": Price(
        0.085,
        "GB to the internet (US, first 10 TB)",
        "https://aws.amazon.com/cloudfront/pricing/",
        "2026-12-07",
    ),
    "cloudfront_function": Price(
        0.10,
        "million CloudFront Function invocations",
        "https://aws.amazon.com/cloudfront/pricing/",
        "2026-12-07",
    ),
    "http_api_request": Price(
        1.00,
        "million HTTP API requests (first 300 million, per 512 KB)",
        "https://aws.amazon.com/api-gateway/pricing/",
        "2026-12-07",
    ),
    "sqs_request": Price(
        0.40,
        "million standard-queue requests (per 64 KB chunk)",
        "https://aws.amazon.com/sqs/pricing/",
        "2026-12-07",
    ),
    "sqs_fifo_request": Price(
        0.50,
        "million FIFO-queue requests (per 64 KB chunk)",
        "https://aws.amazon.com/sqs/pricing/",
        "2026-12-07",
    ),
    "eventbridge_event": Price(
        1.00, "million custom events", "https://aws.amazon.com/eventbridge/pricing/", "2026-12-07"
    ),
    "logs_ingestion": Price(
        0.50,
        "GB ingested (Standard class, first tier for Lambda logs)",
        "https://aws.amazon.com/cloudwatch/pricing/",
        "2026-12-07",
    ),
    "logs_storage": Price(
        0.03, "GB-month archived", "https://aws.amazon.com/cloudwatch/pricing/", "2026-12-07"
    ),
    "xray_trace": Price(
        5.00, "million traces recorded", "https://aws.amazon.com/xray/pricing/", "2026-12-07"
    ),
    "s3_put": Price(
        5.00,
        "million PUT requests (S3 Standard; $0.005 per 1,000)",
        "https://aws.amazon.com/s3/pricing/",
        "2026-12-07",
    ),
    "s3_storage": Price(
        0.023, "GB-month (S3 Standard, first 50 TB)", "https://aws.amazon.com/s3/pricing/", "2026-12-07"
    ),
}

# What the market charges for the same event (issue 21): Voluum's published overage per million
# events over a plan's allowance.
VOLUUM_OVERAGE_PER_MILLION = (30.0, 40.0)


def price(name: str) -> float:
    return PRICES[name].usd
