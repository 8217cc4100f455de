// Downsampling of a metric series to at most N points for plotting. Pure
// functions over points sorted by step; series with <= N points are returned as is.
#pragma once

#include "core/store/records.h"

#include <vector>

namespace mgrpo::store {

enum class Downsample { None, BucketMean, Lttb };

// Bucket i holds points [floor(i*n/N), floor((i+1)*n/N)); each becomes (mean step, mean value).
std::vector<MetricPoint> downsampleBucketMean(const std::vector<MetricPoint>& points, size_t maxPoints);
// Largest-Triangle-Three-Buckets (Steinarsson 2013): keeps the first and last
// point and, per bucket, the point spanning the largest triangle with the
// previously kept point and the next bucket's mean. Keeps peaks visible.
std::vector<MetricPoint> downsampleLttb(const std::vector<MetricPoint>& points, size_t maxPoints);
std::vector<MetricPoint> downsample(const std::vector<MetricPoint>& points, size_t maxPoints, Downsample method);

}  // namespace mgrpo::store
