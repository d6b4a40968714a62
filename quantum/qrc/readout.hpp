#pragma once
// Linear readout by ridge regression, with the regularisation picked on a validation segment, and
// the train/validation/test split with washout shared by all models.

#include <Eigen/Dense>
#include <vector>

namespace fieldlab::quantum::qrc {

// sqrt(mean((y - yhat)^2)) / std(y).
double nrmse(const Eigen::VectorXd& y, const Eigen::VectorXd& prediction);

class RidgeReadout {
 public:
  // Solves (X'X + lambda I) w = X'y with a bias column appended (the bias is not penalised).
  void fit(const Eigen::MatrixXd& features, const Eigen::VectorXd& target, double lambda);
  Eigen::VectorXd predict(const Eigen::MatrixXd& features) const;
  const Eigen::VectorXd& weights() const { return weights_; }  // last entry: bias
  double lambda() const { return lambda_; }

 private:
  Eigen::VectorXd weights_;
  double lambda_ = 0;
};

struct Split {
  int washout = 200;  // first steps dropped: the reservoir forgets its initial state
  double train = 0.6, validation = 0.2;  // fractions of the rest; test takes what remains
};

struct ReadoutResult {
  double lambda = 0;
  double train_nrmse = 0, validation_nrmse = 0, test_nrmse = 0;
  Eigen::VectorXd test_prediction, test_target;
};

// Fits on the train segment for each lambda of the grid, keeps the one with the lowest validation
// NRMSE, refits on train + validation with it and reports the test NRMSE.
ReadoutResult fit_and_evaluate(const Eigen::MatrixXd& features, const Eigen::VectorXd& target,
                               const Split& split,
                               const std::vector<double>& lambdas = {1e-10, 1e-9, 1e-8, 1e-7, 1e-6,
                                                                     1e-5, 1e-4, 1e-3, 1e-2, 1e-1,
                                                                     1.0});

}  // namespace fieldlab::quantum::qrc
