/** Importing this module registers every built-in converter. */
import './activation-layers';
import './batch-norm';
import './conv';
import './cropping';
import './dense';
import './identity';
import './merge';
import './pooling';
import './rescaling';
import './reshape';
// Custom layers of @ffem/models.
import './group-weighted-sum';
import './norm-aware-reweight';
import './scaleless-batch-norm';
