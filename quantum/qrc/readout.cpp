#include "quantum/qrc/readout.hpp"

#include <cmath>
#include <limits>

#include "core/error.hpp"

namespace fieldlab::quantum::qrc {
namespace {

Eigen::MatrixXd with_bias(const Eigen::MatrixXd& x) {
  Eigen::MatrixXd a(x.rows(), x.cols() + 1);
  a.leftCols(x.cols()) = x;
  a.col(x.cols()).setOnes();
  return a;
}

}  // namespace

double nrmse(const Eigen::VectorXd& y, const Eigen::VectorXd& p) {
  require(y.size() == p.size() && y.size() > 1, "nrmse: sizes {} and {}", y.size(), p.size());
  const double mse = (y - p).squaredNorm() / static_cast<double>(y.size());
  const double var = (y.array() - y.mean()).square().mean();
  require(var > 0, "nrmse: the target is constant");
  return std::sqrt(mse / var);
}

void RidgeReadout::fit(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, double lambda) {
  require(x.rows() == y.size() && x.rows() > 0, "ridge: {} feature rows for {} targets", x.rows(),
          y.size());
  require(lambda >= 0, "ridge: negative regularisation {}", lambda);
  const Eigen::MatrixXd a = with_bias(x);
  // Scale lambda by the mean feature energy so the grid means the same for every model.
  Eigen::MatrixXd g = a.transpose() * a;
  const double scale = g.diagonal().head(x.cols()).mean() + 1e-300;
  for (Eigen::Index i = 0; i < x.cols(); ++i) g(i, i) += lambda * scale;
  weights_ = g.ldlt().solve(a.transpose() * y);
  if (!weights_.allFinite())  // singular without regularisation: least squares instead
    weights_ = a.completeOrthogonalDecomposition().solve(y);
  lambda_ = lambda;
}

Eigen::VectorXd RidgeReadout::predict(const Eigen::MatrixXd& x) const {
  require(x.cols() + 1 == weights_.size(), "ridge: {} features for a readout of {}", x.cols(),
          weights_.size() - 1);
  return with_bias(x) * weights_;
}

ReadoutResult fit_and_evaluate(const Eigen::MatrixXd& features, const Eigen::VectorXd& target,
                               const Split& split, const std::vector<double>& lambdas) {
  const Eigen::Index total = features.rows();
  require(target.size() == total, "features have {} rows, target {}", total, target.size());
  const Eigen::Index usable = total - split.washout;
  const Eigen::Index ntrain = static_cast<Eigen::Index>(usable * split.train);
  const Eigen::Index nval = static_cast<Eigen::Index>(usable * split.validation);
  const Eigen::Index ntest = usable - ntrain - nval;
  require(ntrain > features.cols() / 4 && nval > 10 && ntest > 10,
          "series too short: {} steps after a washout of {}", usable, split.washout);
  const Eigen::Index w = split.washout;
  const auto xtr = features.middleRows(w, ntrain);
  const auto ytr = target.segment(w, ntrain);
  const auto xva = features.middleRows(w + ntrain, nval);
  const auto yva = target.segment(w + ntrain, nval);
  ReadoutResult r;
  double best = std::numeric_limits<double>::infinity();
  for (double lambda : lambdas) {
    RidgeReadout ro;
    ro.fit(xtr, ytr, lambda);
    const double v = nrmse(yva, ro.predict(xva));
    if (v < best) {
      best = v;
      r.lambda = lambda;
      r.validation_nrmse = v;
      r.train_nrmse = nrmse(ytr, ro.predict(xtr));
    }
  }
  RidgeReadout ro;
  ro.fit(features.middleRows(w, ntrain + nval), target.segment(w, ntrain + nval), r.lambda);
  r.test_target = target.tail(ntest);
  r.test_prediction = ro.predict(features.bottomRows(ntest));
  r.test_nrmse = nrmse(r.test_target, r.test_prediction);
  return r;
}

}  // namespace fieldlab::quantum::qrc
